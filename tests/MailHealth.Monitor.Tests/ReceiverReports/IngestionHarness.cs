using Azure.Data.Tables;
using MailHealth.Monitor.ReceiverReports;
using MailHealth.Monitor.Tests.Runs;
using MailHealth.Storage.Configuration;
using MailHealth.Storage.ReceiverReports;
using MailHealth.Testing;
using MailHealth.Testing.Reports;

namespace MailHealth.Monitor.Tests.ReceiverReports;

/// <summary>
/// Report ingestion as a host composes it, on the peers' Azurite (a monitor of its own): inputs
/// in, and what the stores hold read back. Reports are generated for the day before this test
/// process started (<see cref="TestClock.Yesterday"/>), from the documentation address ranges.
/// </summary>
public sealed class IngestionHarness : IAsyncLifetime
{
    private MonitorHarness? _monitor;

    public MonitorHarness Monitor => _monitor ?? throw new InvalidOperationException("not started");

    public static DateTimeOffset Day => TestClock.Yesterday;

    public static DateOnly DayOf(DateTimeOffset time) => DateOnly.FromDateTime(time.UtcDateTime);

    public ReportIngestion Ingestion => Monitor.Get<ReportIngestion>();

    public ReceiverTotalsReader Totals => Monitor.Get<ReceiverTotalsReader>();

    public StorageAccount Account => Monitor.Get<StorageAccount>();

    public async Task InitializeAsync() => _monitor = await MonitorHarness.StartAsync();

    public async Task DisposeAsync()
    {
        if (_monitor is not null)
        {
            await _monitor.DisposeAsync();
        }
    }

    public Task<ReportInputRecord> IngestAsync(byte[] input) => Ingestion.IngestAsync(input, ReportDoors.Cli, CancellationToken.None);

    /// <summary>Ingests <paramref name="input"/> through the command line's door with the process failing at <paramref name="step"/> of its report's storing (<see cref="ReportProcessor.Fault"/>): the ingestion throws there.</summary>
    public async Task IngestCrashingAtAsync(byte[] input, string step)
    {
        var processor = Monitor.Get<ReportProcessor>();
        processor.Fault = (at, _) => at == step ? throw new SimulatedCrashException(at) : Task.CompletedTask;
        try
        {
            await Assert.ThrowsAsync<SimulatedCrashException>(() => IngestAsync(input));
        }
        finally
        {
            processor.Fault = null;
        }
    }

    /// <summary>Google's message for <paramref name="domain"/> on <see cref="Day"/>: <paramref name="rows"/> mixed rows over <paramref name="sources"/> addresses.</summary>
    public static AggregateReportSpec Google(string domain, int rows = 14, int sources = 5) =>
        Reporters.Google(domain, Day, AggregateRows.Mixed(domain, rows, sources));

    /// <summary>The messages and the messages that passed DMARC that <paramref name="spec"/>'s rows carry.</summary>
    public static (double Messages, double DmarcPass) Expected(AggregateReportSpec spec)
    {
        var rows = spec.Rows.ToList();
        return (rows.Sum(r => double.Parse(r.Count!, System.Globalization.CultureInfo.InvariantCulture)),
            rows.Where(r => r.Dkim == "pass" || r.Spf == "pass").Sum(r => double.Parse(r.Count!, System.Globalization.CultureInfo.InvariantCulture)));
    }

    /// <summary>The first page of what arrived for <paramref name="domain"/> from the day before this test process started.</summary>
    public Task<Storage.Paging.StoredPage<ListedReport>> ListAsync(string domain) =>
        Ingestion.ListAsync(new ReportInputQuery(TestClock.Yesterday, TestClock.Start.AddDays(1)) { PolicyDomain = domain }, CancellationToken.None);

    public async Task<int> BlobCountAsync()
    {
        var count = 0;
        await foreach (var _ in Account.ReportContainer.GetBlobsAsync())
        {
            count++;
        }

        return count;
    }

    /// <summary>Every row of <paramref name="table"/> in the partitions of <paramref name="domain"/> (its day partitions start with it).</summary>
    public async Task<List<TableEntity>> RowsAsync(string table, string domain)
    {
        var client = Account.Table(table);
        var rows = new List<TableEntity>();
        await foreach (var row in client.QueryAsync<TableEntity>(r => r.PartitionKey.CompareTo(domain) >= 0 && r.PartitionKey.CompareTo(domain + "~") < 0))
        {
            rows.Add(row);
        }

        return rows;
    }
}
