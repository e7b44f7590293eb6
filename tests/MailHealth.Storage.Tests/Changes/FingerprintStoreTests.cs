using MailHealth.Changes;
using MailHealth.Storage.Changes;
using MailHealth.Storage.Tests.Infrastructure;

namespace MailHealth.Storage.Tests.Changes;

public sealed class FingerprintStoreTests(AzuriteAccount azurite) : IClassFixture<AzuriteAccount>
{
    private readonly FingerprintStore store = new(azurite.Account);

    [Fact]
    public async Task GetPreviousAsync_ReturnsTheRunBefore_EvenWhenThisRunIsARetry()
    {
        var first = TestReports.RunAt("fp-a", 1);
        var second = TestReports.RunAt("fp-a", 2);
        await store.SaveAsync(first, Fingerprint("spf", "v=spf1 -all"));
        Assert.Null(await store.GetPreviousAsync(first));

        await store.SaveAsync(second, Fingerprint("spf", "v=spf1 mx -all"));
        var beforeRetry = await store.GetPreviousAsync(second);
        await store.SaveAsync(second, Fingerprint("spf", "v=spf1 mx -all"));
        var afterRetry = await store.GetPreviousAsync(second);

        Assert.Equal(first.ToString(), beforeRetry!.RunId);
        Assert.Equal("v=spf1 -all", afterRetry!.Fingerprint.Items["spf"]);
        Assert.Equal(second.ToString(), (await store.GetPreviousAsync(TestReports.RunAt("fp-a", 3)))!.RunId);
    }

    [Fact]
    public async Task SaveAsync_OlderRun_DoesNotReplaceNewer()
    {
        await store.SaveAsync(TestReports.RunAt("fp-b", 5), Fingerprint("mx", "new"));
        await store.SaveAsync(TestReports.RunAt("fp-b", 4), Fingerprint("mx", "old"));

        Assert.Equal("new", (await store.GetLatestAsync("fp-b"))!.Fingerprint.Items["mx"]);
    }

    [Fact]
    public async Task SaveAsync_LargeFingerprint_RoundTrips()
    {
        var items = Enumerable.Range(0, 400).ToDictionary(i => $"cert:mx{i}.example.com:25", i => Convert.ToHexString(BitConverter.GetBytes(i * 7919L)) + new string('k', 300));
        await store.SaveAsync(TestReports.RunAt("fp-c", 1), new RunFingerprint(items));

        Assert.Equal(items, (await store.GetLatestAsync("fp-c"))!.Fingerprint.Items);
    }

    private static RunFingerprint Fingerprint(string item, string value) => new(new Dictionary<string, string> { [item] = value });
}
