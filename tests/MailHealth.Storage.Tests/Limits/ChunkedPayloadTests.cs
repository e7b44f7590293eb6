using Azure.Data.Tables;
using MailHealth.Storage.Limits;
using MailHealth.Storage.Payloads;

namespace MailHealth.Storage.Tests.Limits;

public sealed class ChunkedPayloadTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(65536)]
    [InlineData(65537)]
    [InlineData(3_000_000)]
    public void SpreadThenGather_ReturnsTheSameBytes_AndEveryEntityPassesTheGuard(int length)
    {
        var payload = new byte[length];
        new Random(length).NextBytes(payload);
        var main = new TableEntity("pk", "main") { ["Other"] = "kept" };

        var overflow = ChunkedPayload.Spread(main, "R", payload, "w1", i => $"x{i:D3}");

        Assert.Equal(payload, ChunkedPayload.Gather(main, "R", overflow));
        Assert.All(overflow.Prepend(main), e => Assert.InRange(EntityGuard.Check(e), 1, TableLimits.MaxEntityBytes));
        Assert.Equal("kept", main.GetString("Other"));
    }

    [Fact]
    public void Gather_OverflowRowFromAnotherWrite_Throws()
    {
        var payload = new byte[2_000_000];
        new Random(1).NextBytes(payload);
        var main = new TableEntity("pk", "main");
        var overflow = ChunkedPayload.Spread(main, "R", payload, "first", i => $"x{i}");
        var other = ChunkedPayload.Spread(new TableEntity("pk", "main"), "R", payload, "second", i => $"x{i}");

        Assert.Throws<StoredDataException>(() => ChunkedPayload.Gather(main, "R", [overflow[0], other[1]]));
        Assert.Throws<StoredDataException>(() => ChunkedPayload.Gather(main, "R", [overflow[0]]));
    }

    [Fact]
    public void Spread_WithMaxInMainAndNoOverflowAllowed_ThrowsInsteadOfCutting()
    {
        var payload = new byte[200_000];
        new Random(2).NextBytes(payload);

        Assert.Throws<TableLimitException>(() => ChunkedPayload.Spread(
            new TableEntity("pk", "main"), "S", payload, "w", _ => throw new TableLimitException("too big"), maxInMain: 2));
    }
}
