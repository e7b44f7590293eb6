using System.Text;
using System.Text.Json;
using MailHealth.Checks;
using MailHealth.Monitor.Api;

namespace MailHealth.Monitor.Tests.Api;

/// <summary>A page put together from items already serialized is the page the serializer writes.</summary>
public sealed class ApiJsonTests
{
    private static readonly TargetStatus[] Statuses =
    [
        TargetStatus.NotRunYet("alpha"),
        new("beta", "beta/20261201T100000Z", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddSeconds(9), CheckStatus.Warn, []),
        TargetStatus.NotRunYet("gamma \"quoted\" <&>"),
    ];

    [Theory]
    [InlineData(null)]
    [InlineData("djEuYWJjZGVmMDEuc29tZSt0b2tlbg")]
    public void Page_IsByteForByteTheSerializedPage(string? continuation)
    {
        var parts = Statuses.Select(s => (ReadOnlyMemory<byte>)JsonSerializer.SerializeToUtf8Bytes(s, ApiJson.Options)).ToList();

        var page = ApiJson.Page(parts, continuation);

        var expected = JsonSerializer.SerializeToUtf8Bytes(new ApiPage<TargetStatus>(Statuses, continuation), ApiJson.Options);
        Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(page));
    }

    [Fact]
    public void Page_OfNothing_IsAnEmptyList()
    {
        Assert.Equal("""{"items":[]}""", Encoding.UTF8.GetString(ApiJson.Page([], null)));
    }
}
