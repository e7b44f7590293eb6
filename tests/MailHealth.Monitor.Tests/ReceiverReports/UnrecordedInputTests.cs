using MailHealth.Monitor.ReceiverReports;
using MailHealth.Storage.Configuration;
using MailHealth.Storage.ReceiverReports;
using MailHealth.Testing.Reports;

namespace MailHealth.Monitor.Tests.ReceiverReports;

/// <summary>
/// Inputs whose blob is kept and which the log holds nothing of: the command line and the mailbox
/// record an input only once it is processed, so a crash part way, two doors storing the same
/// bytes at once, or a record retention removed leave just the blob. Each is processed (again) as
/// received when its blob says, counted once, and listed once.
/// </summary>
public sealed class UnrecordedInputTests(IngestionHarness harness) : IClassFixture<IngestionHarness>
{
    private static DateOnly Day => IngestionHarness.DayOf(IngestionHarness.Day);

    [Fact]
    public async Task SameBytesImportedTwiceAtOnce_CountOnce_AndAreListedOnce()
    {
        var (message, messages) = await ReportOfNewTargetAsync("twice", rows: 30, sources: 9);

        var records = await Task.WhenAll(harness.IngestAsync(message), harness.IngestAsync(message));

        // Whichever finished first stored it; the other stored it too (the same input's commit) or
        // found it processed (a duplicate now): never two reports.
        Assert.All(records, r => Assert.Contains(Assert.Single(r.Reports).Status, new[] { ReportOutcomeStatus.Stored, ReportOutcomeStatus.Duplicate }));
        Assert.Contains(records, r => r.Reports[0].Status == ReportOutcomeStatus.Stored);
        var receipt = await harness.Monitor.Get<ReportBlobStore>().GetReceiptAsync(records[0].Input);
        Assert.All(records, r => Assert.Equal(receipt!.ReceivedAt, r.ReceivedAt));
        await AssertCountedOnceAsync("twice", messages);
        Assert.Single(await harness.RowsAsync(StorageTables.DmarcSources, "twice.example"));
        Assert.Single((await harness.ListAsync("twice.example")).Items);
    }

    [Fact]
    public async Task InputWhoseRecordIsGone_ButWhoseBlobIsKept_IsProcessedAgain_AndCountsOnce()
    {
        var (message, messages) = await ReportOfNewTargetAsync("unrecorded");
        var first = await harness.IngestAsync(message);
        var log = harness.Account.Table(StorageTables.ReportInputs);
        foreach (var row in await OldLayoutInputs.RowsAsync(harness.Account, first.Input))
        {
            await log.DeleteEntityAsync(row.PartitionKey, row.RowKey);
        }

        Assert.Null(await harness.Ingestion.GetAsync(first.Input, CancellationToken.None));

        var again = await harness.IngestAsync(message);

        // The ledger names this very input: stored (not a duplicate of itself), nothing added.
        Assert.Equal(ReportOutcomeStatus.Stored, Assert.Single(again.Reports).Status);
        Assert.Equal((first.ReceivedAt, first.Door), (again.ReceivedAt, again.Door));
        Assert.Equal(ReportInputState.Processed, (await harness.Ingestion.GetAsync(first.Input, CancellationToken.None))!.State);
        await AssertCountedOnceAsync("unrecorded", messages);
        Assert.Single((await harness.ListAsync("unrecorded.example")).Items);
    }

    [Fact]
    public async Task InputThatCrashedBeforeItsCommit_ThenPostedToTheApi_IsQueuedAsFirstReceived_AndStoredOnce()
    {
        var (message, messages) = await ReportOfNewTargetAsync("posted");
        await harness.IngestCrashingAtAsync(message, "commit");

        var input = ReportBlobStore.InputId(message);
        var receipt = (await harness.Monitor.Get<ReportBlobStore>().GetReceiptAsync(input))!;
        Assert.Equal(ReportDoors.Cli, receipt.Door);

        var submission = await harness.Ingestion.SubmitAsync(message, ReportDoors.Api, CancellationToken.None);

        // Queued and recorded received, as first kept: the command line's, at its time.
        Assert.True(submission.Queued);
        Assert.Equal((ReportInputState.Received, receipt.ReceivedAt, ReportDoors.Cli), (submission.Record.State, submission.Record.ReceivedAt, submission.Record.Door));
        Assert.Equal(ReportInputState.Received, (await harness.Ingestion.GetAsync(input, CancellationToken.None))!.State);
        await harness.Monitor.DrainAsync();
        var record = await harness.Ingestion.GetAsync(input, CancellationToken.None);
        Assert.Equal(ReportOutcomeStatus.Stored, Assert.Single(record!.Reports).Status);
        await AssertCountedOnceAsync("posted", messages);
    }

    /// <summary>A target <paramref name="name"/> of domain <c>{name}.example</c>, and Google's message of a report for it: its bytes and the messages it counts.</summary>
    private async Task<(byte[] Message, double Messages)> ReportOfNewTargetAsync(string name, int rows = 14, int sources = 5)
    {
        await harness.Monitor.AddTargetAsync(name, name + ".example");
        var spec = IngestionHarness.Google(name + ".example", rows, sources);
        return (Reporters.GoogleMessage(spec), IngestionHarness.Expected(spec).Messages);
    }

    private async Task AssertCountedOnceAsync(string target, double messages)
    {
        var day = Assert.Single((await harness.Totals.DmarcDaysAsync(target, Day, Day, CancellationToken.None))!);
        Assert.Equal((1, messages), (day.Reports, day.Counts.Messages));
    }
}
