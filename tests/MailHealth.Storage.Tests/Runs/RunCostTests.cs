using Azure.Data.Tables;
using MailHealth.Reports;
using MailHealth.Storage.Configuration;
using MailHealth.Storage.Latest;
using MailHealth.Storage.Limits;
using MailHealth.Storage.Runs;
using MailHealth.Storage.Tests.Infrastructure;
using Xunit.Abstractions;

namespace MailHealth.Storage.Tests.Runs;

/// <summary>What one ordinary run costs in storage (the figures in docs/storage.md come from here).</summary>
public sealed class RunCostTests(AzuriteAccount azurite, ITestOutputHelper output) : IClassFixture<AzuriteAccount>
{
    [Fact]
    public async Task WriteAsync_RealReport_IsOneEntityInOneTransaction()
    {
        var runId = TestReports.RunAt("cost", 0);
        var report = TestReports.Sample(runId);

        var result = await new RunStore(azurite.Account).WriteAsync(runId, report);
        await new LatestStatusStore(azurite.Account).UpdateAsync(runId, report);

        output.WriteLine($"checks {report.Checks.Count}, report JSON {result.ReportJsonBytes} B, gzip {result.ReportGzipBytes} B, "
            + $"run: {result.Entities} entity, {result.Bytes} B, {result.Transactions} transaction");
        Assert.Equal(20, report.Checks.Count);
        Assert.Equal(1, result.Entities);
        Assert.Equal(1, result.Transactions);
        Assert.InRange(result.ReportGzipBytes, 1, result.ReportJsonBytes / 3);
        Assert.Equal(ReportJson.Serialize(report), await new RunStore(azurite.Account).GetReportJsonAsync(runId));
        Assert.Equal(20, (await new LatestStatusStore(azurite.Account).GetAsync("cost"))!.Checks.Count);
        var latestRows = azurite.Account.Table(StorageTables.Latest).Query<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {"cost"}")).ToList();
        output.WriteLine($"latest: {latestRows.Count} entities, {latestRows.Sum(e => EntityGuard.Check(e))} B");
        Assert.Equal(21, latestRows.Count);
    }
}
