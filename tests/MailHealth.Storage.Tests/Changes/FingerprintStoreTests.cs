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
    public async Task SaveAsync_OverTheRowItRead_WritesOnItsETag_AndReadsAgainWhenItChanged()
    {
        await store.SaveAsync(TestReports.RunAt("fp-read", 1), Fingerprint("spf", "one"));
        var read = await store.ReadAsync("fp-read");
        Assert.Equal("one", read.Before(TestReports.RunAt("fp-read", 2))!.Fingerprint.Items["spf"]);

        // Another worker saved a newer run after this one read the row: the save over the stale
        // read does not overwrite it (its ETag no longer matches, the row is read again, and the
        // newer run wins).
        await store.SaveAsync(TestReports.RunAt("fp-read", 3), Fingerprint("spf", "three"));
        await store.SaveAsync(TestReports.RunAt("fp-read", 2), Fingerprint("spf", "two"), read);
        Assert.Equal("three", (await store.GetLatestAsync("fp-read"))!.Fingerprint.Items["spf"]);

        // Over a fresh read the save lands, and pushes the newest down to the one before.
        var fresh = await store.ReadAsync("fp-read");
        await store.SaveAsync(TestReports.RunAt("fp-read", 4), Fingerprint("spf", "four"), fresh);
        var after = await store.ReadAsync("fp-read");
        Assert.Equal("four", after.Current!.Fingerprint.Items["spf"]);
        Assert.Equal("three", after.Previous!.Fingerprint.Items["spf"]);
        Assert.NotEqual(fresh.ETag, after.ETag);
    }

    [Fact]
    public async Task SaveAsync_OverTheReadOfNoRow_AddsIt_AndASecondSaveOverThatReadRereads()
    {
        var none = await store.ReadAsync("fp-new");
        Assert.Null(none.ETag);

        await store.SaveAsync(TestReports.RunAt("fp-new", 1), Fingerprint("mx", "a"), none);
        // The same read of no row again (a retried message): the add conflicts, the row is read, and the save replaces it.
        await store.SaveAsync(TestReports.RunAt("fp-new", 2), Fingerprint("mx", "b"), none);

        var row = await store.ReadAsync("fp-new");
        Assert.Equal("b", row.Current!.Fingerprint.Items["mx"]);
        Assert.Equal("a", row.Previous!.Fingerprint.Items["mx"]);
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
