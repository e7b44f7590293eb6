using MailHealth.Checks;
using MailHealth.Reports;
using MailHealth.Storage.Latest;
using MailHealth.Storage.Tests.Infrastructure;

namespace MailHealth.Storage.Tests.Latest;

public sealed class LatestStatusStoreTests(AzuriteAccount azurite) : IClassFixture<AzuriteAccount>
{
    private readonly LatestStatusStore store = new(azurite.Account);

    [Fact]
    public async Task UpdateAsync_ThenGet_ReturnsEveryCheckOfTheRun()
    {
        var runId = TestReports.RunAt("latest-a", 1);
        await store.UpdateAsync(runId, TestReports.Report(runId, CheckStatus.Fail));

        var status = await store.GetAsync("latest-a");

        Assert.NotNull(status);
        Assert.Equal(runId.ToString(), status.RunId);
        Assert.Equal(CheckStatus.Fail, status.Status);
        Assert.Equal(["smtp:mx1.example.com:25", "spf"], status.Checks.Select(c => c.Check.Id));
        Assert.Equal(CheckStatus.Fail, status.Checks.Single(c => c.Check.Id == "spf").Check.Status);
        Assert.Equal(61, status.Checks.Single(c => c.Check.Id.StartsWith("smtp", StringComparison.Ordinal)).Check.Metrics["certDaysLeft"]);
    }

    [Fact]
    public async Task GetAllAsync_OneScan_EachTargetAsItsOwnRead()
    {
        // Ids that escape differently from how they sort, beside a target with no run yet.
        string[] ids = ["all-b/x", "all-a", "all-c'quote"];
        foreach (var (id, i) in ids.Select((id, i) => (id, i)))
        {
            var runId = TestReports.RunAt(id, i + 1);
            await store.UpdateAsync(runId, TestReports.Report(runId, i == 0 ? CheckStatus.Fail : CheckStatus.Pass));
        }

        var all = await store.GetAllAsync([.. ids, "all-never-ran"]);

        Assert.Equal(ids.Order(StringComparer.Ordinal), all.Keys.Order(StringComparer.Ordinal));
        foreach (var id in ids)
        {
            var one = await store.GetAsync(id);
            Assert.Equal(one!.RunId, all[id].RunId);
            Assert.Equal(one.Status, all[id].Status);
            Assert.Equal(one.Checks.Select(c => (c.Check.Id, c.Check.Status)), all[id].Checks.Select(c => (c.Check.Id, c.Check.Status)));
        }
    }

    [Fact]
    public async Task GetAllAsync_GivenThePreviousRead_KeepsTheUnchanged_AndReadsAgainWhatRanSince()
    {
        string[] ids = ["since-same", "since-ran", "since-deleted"];
        foreach (var id in ids)
        {
            var runId = TestReports.RunAt(id, 1);
            await store.UpdateAsync(runId, TestReports.Report(runId));
        }

        var before = await store.GetAllAsync([.. ids, "since-new"]);
        Assert.All(before.Values, s => Assert.False(string.IsNullOrEmpty(s.Version)));

        // One target runs again without its SMTP check, one is deleted, one runs for the first time.
        var second = TestReports.RunAt("since-ran", 2);
        var report = TestReports.Report(second, CheckStatus.Fail);
        await store.UpdateAsync(second, report with { Checks = [.. report.Checks.Where(c => c.Id == "spf")] });
        await store.DeleteAsync("since-deleted");
        var first = TestReports.RunAt("since-new", 2);
        await store.UpdateAsync(first, TestReports.Report(first));

        var after = await store.GetAllAsync([.. ids, "since-new"], before);

        Assert.Same(before["since-same"], after["since-same"]);
        Assert.Equal(second.ToString(), after["since-ran"].RunId);
        Assert.Equal(CheckStatus.Fail, after["since-ran"].Status);
        Assert.Equal(["spf"], after["since-ran"].Checks.Select(c => c.Check.Id));
        Assert.False(after.ContainsKey("since-deleted"));
        Assert.Equal(first.ToString(), after["since-new"].RunId);
        Assert.Equal((await store.GetAsync("since-ran"))!.Version, after["since-ran"].Version);
    }

    [Fact]
    public async Task UpdateAsync_OlderRunAfterNewer_ChangesNothing()
    {
        var newer = TestReports.RunAt("latest-b", 5);
        var older = TestReports.RunAt("latest-b", 4);
        await store.UpdateAsync(newer, TestReports.Report(newer, CheckStatus.Pass));

        await store.UpdateAsync(older, TestReports.Report(older, CheckStatus.Fail));

        var status = await store.GetAsync("latest-b");
        Assert.Equal(newer.ToString(), status!.RunId);
        Assert.All(status.Checks, c => Assert.Equal(newer.ToString(), c.RunId));
        Assert.Equal(CheckStatus.Pass, status.Status);
    }

    [Fact]
    public async Task UpdateAsync_CheckGoneFromTheNewestRun_IsRemoved()
    {
        var first = TestReports.RunAt("latest-c", 1);
        var second = TestReports.RunAt("latest-c", 2);
        await store.UpdateAsync(first, TestReports.Report(first));
        var withoutSmtp = TestReports.Report(second) is var r ? r with { Checks = [.. r.Checks.Where(c => c.Id == "spf")] } : null;

        await store.UpdateAsync(second, withoutSmtp!);

        var status = await store.GetAsync("latest-c");
        Assert.Equal(["spf"], status!.Checks.Select(c => c.Check.Id));
    }

    [Fact]
    public async Task UpdateAsync_SameRunTwice_Converges()
    {
        var runId = TestReports.RunAt("latest-d", 1);
        await store.UpdateAsync(runId, TestReports.Report(runId, CheckStatus.Pass));
        await store.UpdateAsync(runId, TestReports.Report(runId, CheckStatus.Warn));

        var status = await store.GetAsync("latest-d");
        Assert.Equal(CheckStatus.Warn, status!.Checks.Single(c => c.Check.Id == "spf").Check.Status);
        Assert.Equal(2, status.Checks.Count);
    }

    [Fact]
    public async Task UpdateAsync_ConcurrentWriters_EndWithTheNewestRun()
    {
        var runs = Enumerable.Range(0, 6).Select(i => TestReports.RunAt("latest-e", i)).ToList();

        await Task.WhenAll(runs.Select(r => store.UpdateAsync(r, TestReports.Report(r))));

        Assert.Equal(runs[^1].ToString(), (await store.GetAsync("latest-e"))!.RunId);
    }

    [Fact]
    public async Task GetAsync_UnknownTarget_ReturnsNull()
    {
        Assert.Null(await store.GetAsync("never-ran"));
    }

    [Fact]
    public void CheckSummary_KeepsNoEvidence()
    {
        var runId = TestReports.RunAt("x", 0);
        var summary = Storage.Runs.CheckSummary.Of(TestReports.Report(runId).Checks[1]);

        Assert.DoesNotContain("banner", ReportJson.Serialize(summary), StringComparison.Ordinal);
    }
}
