using System.Text.Json;
using Azure.Data.Tables;
using MailHealth.Checks;
using MailHealth.Reports;
using MailHealth.Runs;
using MailHealth.Storage.Configuration;
using MailHealth.Storage.Limits;
using MailHealth.Storage.Paging;
using MailHealth.Storage.Runs;
using MailHealth.Storage.Tests.Infrastructure;

namespace MailHealth.Storage.Tests.Runs;

public sealed class RunStoreTests(AzuriteAccount azurite) : IClassFixture<AzuriteAccount>
{
    private readonly RunStore store = new(azurite.Account);

    [Fact]
    public async Task WriteAsync_ThenGetReportJson_ReturnsTheSameJson()
    {
        var runId = TestReports.RunAt("roundtrip", 0);
        var report = TestReports.Report(runId, CheckStatus.Fail);

        await store.WriteAsync(runId, report);

        Assert.Equal(ReportJson.Serialize(report), await store.GetReportJsonAsync(runId));
        var read = await store.GetReportAsync(runId);
        Assert.NotNull(read);
        Assert.Equal(ReportJson.Serialize(report), ReportJson.Serialize(read));
        Assert.Equal(["prod", "eu"], read.Target.Tags);
    }

    [Fact]
    public async Task GetReportAsync_UnknownRun_ReturnsNull()
    {
        Assert.Null(await store.GetReportAsync(TestReports.RunAt("nobody", 3)));
    }

    [Fact]
    public async Task WriteAsync_SameRunTwice_KeepsOneRunWithTheSecondReport()
    {
        var runId = TestReports.RunAt("twice", 7);
        await store.WriteAsync(runId, TestReports.Report(runId, CheckStatus.Pass));
        await store.WriteAsync(runId, TestReports.Report(runId, CheckStatus.Fail));

        var history = await store.GetHistoryAsync(new HistoryQuery("twice"));

        var run = Assert.Single(history.Items);
        Assert.Equal(CheckStatus.Fail, run.Status);
        Assert.Equal(runId.ToString(), run.RunId);
        var table = azurite.Account.Table(StorageTables.Runs);
        Assert.Single(table.Query<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {"twice"}")));
    }

    [Fact]
    public async Task GetHistoryAsync_ReturnsNewestFirst()
    {
        foreach (var i in new[] { 3, 1, 4, 0, 2 })
        {
            var runId = TestReports.RunAt("order", i);
            await store.WriteAsync(runId, TestReports.Report(runId));
        }

        var history = await store.GetHistoryAsync(new HistoryQuery("order"));

        Assert.Equal([4, 3, 2, 1, 0], history.Items.Select(r => (int)(r.Slot - TestReports.Epoch).TotalMinutes / 5));
        Assert.Null(history.ContinuationToken);
        Assert.All(history.Items, r => Assert.Equal(2, r.Checks.Count));
    }

    [Fact]
    public async Task GetHistoryAsync_FromAndTo_AreInclusiveBounds()
    {
        for (var i = 0; i < 10; i++)
        {
            var runId = TestReports.RunAt("range", i);
            await store.WriteAsync(runId, TestReports.Report(runId));
        }

        var history = await store.GetHistoryAsync(new HistoryQuery("range")
        {
            From = TestReports.RunAt("range", 3).Slot,
            To = TestReports.RunAt("range", 6).Slot,
        });
        var onlyFrom = await store.GetHistoryAsync(new HistoryQuery("range") { From = TestReports.RunAt("range", 8).Slot });
        var onlyTo = await store.GetHistoryAsync(new HistoryQuery("range") { To = TestReports.RunAt("range", 1).Slot.AddSeconds(-1) });

        Assert.Equal([6, 5, 4, 3], history.Items.Select(r => SlotIndex(r)));
        Assert.Equal([9, 8], onlyFrom.Items.Select(r => SlotIndex(r)));
        Assert.Equal([0], onlyTo.Items.Select(r => SlotIndex(r)));
    }

    [Fact]
    public async Task GetHistoryAsync_WithCheckId_ReturnsOnlyThatCheck()
    {
        var runId = TestReports.RunAt("onecheck", 0);
        await store.WriteAsync(runId, TestReports.Report(runId, CheckStatus.Fail));

        var history = await store.GetHistoryAsync(new HistoryQuery("onecheck") { CheckId = "spf" });
        var none = await store.GetHistoryAsync(new HistoryQuery("onecheck") { CheckId = "dmarc" });

        var check = Assert.Single(Assert.Single(history.Items).Checks);
        Assert.Equal("spf", check.Id);
        Assert.Equal(CheckStatus.Fail, check.Status);
        Assert.Equal("SPF_TOO_MANY_LOOKUPS", Assert.Single(check.Findings).Code);
        Assert.Equal(4, check.Metrics["lookups"]);
        Assert.Empty(none.Items);
    }

    [Fact]
    public async Task GetHistoryAsync_Paging_VisitsEveryRunOnceNewestFirst()
    {
        for (var i = 0; i < 23; i++)
        {
            var runId = TestReports.RunAt("paged", i);
            await store.WriteAsync(runId, TestReports.Report(runId));
        }

        var seen = new List<int>();
        string? continuation = null;
        var pages = 0;
        do
        {
            var page = await store.GetHistoryAsync(new HistoryQuery("paged") { PageSize = 5, ContinuationToken = continuation });
            Assert.True(page.Items.Count <= 5);
            seen.AddRange(page.Items.Select(r => SlotIndex(r)));
            continuation = page.ContinuationToken;
            pages++;
        }
        while (continuation is not null && pages < 20);

        Assert.Equal(Enumerable.Range(0, 23).Reverse(), seen);
        Assert.Equal(5, pages);
    }

    [Theory]
    [InlineData("not base64 at all!")]
    [InlineData("djEuMDAwMDAwMDAwMDAwMDAwMC54")]
    [InlineData("")]
    public async Task GetHistoryAsync_ForgedContinuation_ThrowsInvalidContinuationToken(string token)
    {
        var error = await Assert.ThrowsAsync<InvalidContinuationTokenException>(
            () => store.GetHistoryAsync(new HistoryQuery("paged-forged") { ContinuationToken = token }));
        Assert.Contains("continuation token", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetHistoryAsync_ContinuationOfAnotherQuery_IsRefused()
    {
        for (var i = 0; i < 3; i++)
        {
            var runId = TestReports.RunAt("tokenowner", i);
            await store.WriteAsync(runId, TestReports.Report(runId));
        }

        var page = await store.GetHistoryAsync(new HistoryQuery("tokenowner") { PageSize = 1 });
        Assert.NotNull(page.ContinuationToken);

        await Assert.ThrowsAsync<InvalidContinuationTokenException>(
            () => store.GetHistoryAsync(new HistoryQuery("someone-else") { PageSize = 1, ContinuationToken = page.ContinuationToken }));
    }

    [Fact]
    public async Task GetLatestReportAsync_ReturnsTheNewestRun()
    {
        for (var i = 0; i < 4; i++)
        {
            var runId = TestReports.RunAt("latestreport", i);
            await store.WriteAsync(runId, TestReports.Report(runId, i == 3 ? CheckStatus.Fail : CheckStatus.Pass));
        }

        var latest = await store.GetLatestReportJsonAsync("latestreport");

        Assert.NotNull(latest);
        Assert.Equal(TestReports.RunAt("latestreport", 3), latest.Value.RunId);
        Assert.Equal(CheckStatus.Fail, (await store.GetLatestReportAsync("latestreport"))!.Status);
        Assert.Null(await store.GetLatestReportAsync("no-runs-here"));
    }

    [Fact]
    public async Task PurgeAsync_DeletesRunsBeforeTheCutOffOnly()
    {
        for (var i = 0; i < 6; i++)
        {
            var runId = TestReports.RunAt("purge", i);
            await store.WriteAsync(runId, i == 1 ? TestReports.Huge(runId, 2, seed: 1) : TestReports.Report(runId));
        }

        var deleted = await store.PurgeAsync("purge", TestReports.RunAt("purge", 3).Slot);

        var left = await store.GetHistoryAsync(new HistoryQuery("purge"));
        Assert.Equal([5, 4, 3], left.Items.Select(r => SlotIndex(r)));
        Assert.True(deleted > 3, $"the huge run's overflow rows go too ({deleted} deleted)");
        var table = azurite.Account.Table(StorageTables.Runs);
        Assert.Equal(3, table.Query<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {"purge"}")).Count());
    }

    [Fact]
    public async Task WriteAsync_ReportOfMegabytesOfEvidence_RoundTripsExactlyWithinLimits()
    {
        var runId = TestReports.RunAt("huge", 0);
        var report = TestReports.Huge(runId, 6, seed: 42);
        var json = ReportJson.Serialize(report);
        Assert.True(json.Length > 6_000_000);

        var result = await store.WriteAsync(runId, report);

        Assert.True(result.Entities > 4, $"{result.Entities} entities");
        Assert.True(result.Transactions > 1, "more than 4 MiB cannot go in one transaction");
        Assert.Equal(json, await store.GetReportJsonAsync(runId));
        var table = azurite.Account.Table(StorageTables.Runs);
        var stored = table.Query<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {"huge"}")).ToList();
        Assert.Equal(result.Entities, stored.Count);
        Assert.All(stored, entity =>
        {
            var size = EntityGuard.Check(entity);
            Assert.InRange(size, 1, TableLimits.MaxEntityBytes);
            Assert.All(entity.Select(p => p.Value).OfType<byte[]>(), value => Assert.InRange(value.Length, 1, TableLimits.MaxPropertyBytes));
        });
        Assert.Equal(result.Bytes, stored.Sum(e => (long)EntityGuard.Check(e)));
    }

    [Fact]
    public async Task WriteAsync_SmallerReportOverAHugeOne_ReadsTheSmallerOne()
    {
        var runId = TestReports.RunAt("shrink", 0);
        await store.WriteAsync(runId, TestReports.Huge(runId, 3, seed: 7));
        var small = TestReports.Report(runId, CheckStatus.Warn);

        await store.WriteAsync(runId, small);

        Assert.Equal(ReportJson.Serialize(small), await store.GetReportJsonAsync(runId));
    }

    [Fact]
    public async Task GetHistoryAsync_TargetIdWithQuotesAndOperators_StaysInItsPartition()
    {
        const string Hostile = "x' or PartitionKey ne 'y";
        await store.WriteAsync(TestReports.RunAt("victim", 0), TestReports.Report(TestReports.RunAt("victim", 0)));
        var runId = TestReports.RunAt(Hostile, 1);
        await store.WriteAsync(runId, TestReports.Report(runId));

        var history = await store.GetHistoryAsync(new HistoryQuery(Hostile));
        var byCheck = await store.GetHistoryAsync(new HistoryQuery(Hostile) { CheckId = "spf' or RowKey ne '" });

        var run = Assert.Single(history.Items);
        Assert.Equal(Hostile, run.TargetId);
        Assert.Empty(byCheck.Items);
        Assert.Empty((await store.GetHistoryAsync(new HistoryQuery("' or ''='"))).Items);
    }

    [Fact]
    public async Task WriteAsync_TargetIdWithSlashAndHash_IsEscapedIntoAValidKey()
    {
        const string Odd = "a/b#c?d\\e%f|g";
        var runId = TestReports.RunAt(Odd, 0);
        await store.WriteAsync(runId, TestReports.Report(runId));

        Assert.Equal(runId.ToString(), Assert.Single((await store.GetHistoryAsync(new HistoryQuery(Odd))).Items).RunId);
        Assert.NotNull(await store.GetReportJsonAsync(runId));
    }

    [Fact]
    public async Task GetHistoryAsync_PageSizeOutOfRange_Throws()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.GetHistoryAsync(new HistoryQuery("x") { PageSize = 0 }));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.GetHistoryAsync(new HistoryQuery("x") { PageSize = 1001 }));
    }

    private static int SlotIndex(RunSummary run) => (int)((run.Slot - TestReports.Epoch).TotalMinutes / 5);
}
