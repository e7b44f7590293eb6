using MailHealth.Monitor.ReceiverReports;
using MailHealth.Storage.ReceiverReports;
using MailHealth.Testing.Reports;

namespace MailHealth.Monitor.Tests.ReceiverReports;

/// <summary>
/// A processed input is recorded by its time-index rows alone (one write), and found again from
/// its bytes through the time its blob gives; records written in the layout before (the input's
/// own partition, time-index rows without the input's columns) are still found, listed once,
/// and their bytes received again are duplicates.
/// </summary>
public sealed class InputRecordLayoutTests(IngestionHarness harness) : IClassFixture<IngestionHarness>
{
    private static DateOnly Day => IngestionHarness.DayOf(IngestionHarness.Day);

    [Fact]
    public async Task NewInput_IsRecordedByItsTimeIndexRowsAlone_AndItsBytesAgainAreDuplicates()
    {
        var message = await ReportOfNewTargetAsync("onewrite");

        var first = await harness.IngestAsync(message);

        var rows = await OldLayoutInputs.RowsAsync(harness.Account, first.Input);
        var row = Assert.Single(rows);
        Assert.StartsWith("m", row.PartitionKey, StringComparison.Ordinal);
        Assert.Equal((1, ReportDoors.Cli, (long)message.Length), (row.GetInt32("Reports"), row.GetString("Door"), row.GetInt64("Bytes")));
        var found = (await harness.Ingestion.GetAsync(first.Input, CancellationToken.None))!;
        Assert.Equal((ReportInputState.Processed, first.ReceivedAt, ReportDoors.Cli, (long)message.Length), (found.State, found.ReceivedAt, found.Door, found.Bytes));
        Assert.Equivalent(first.Reports, found.Reports, strict: true);

        var again = await harness.IngestAsync(message);

        Assert.Equal((ReportOutcomeStatus.Duplicate, first.Input), (Assert.Single(again.Reports).Status, again.Reports[0].DuplicateOf));
        await AssertCountedAndListedOnceAsync("onewrite");
    }

    [Fact]
    public async Task InputRecordedInTheLayoutBefore_IsFound_ListedOnce_AndItsBytesAgainAreDuplicates()
    {
        var message = await ReportOfNewTargetAsync("oldlayout");
        var first = await harness.IngestAsync(message);
        await OldLayoutInputs.RewriteAsync(harness.Account, first.Input);
        Assert.All((await OldLayoutInputs.RowsAsync(harness.Account, first.Input)).Where(r => r.PartitionKey != first.Input), r => Assert.Null(r.GetInt32("Reports")));

        var found = (await harness.Ingestion.GetAsync(first.Input, CancellationToken.None))!;
        var again = await harness.IngestAsync(message);

        Assert.Equal((ReportInputState.Processed, first.ReceivedAt, ReportDoors.Cli), (found.State, found.ReceivedAt, found.Door));
        Assert.Equal(ReportOutcomeStatus.Stored, Assert.Single(found.Reports).Status);
        // Found, not processed again: a duplicate of itself, and nothing written beside the old rows.
        Assert.Equal((ReportOutcomeStatus.Duplicate, first.Input), (Assert.Single(again.Reports).Status, again.Reports[0].DuplicateOf));
        Assert.Equal(3, (await OldLayoutInputs.RowsAsync(harness.Account, first.Input)).Count);
        await AssertCountedAndListedOnceAsync("oldlayout");
    }

    [Fact]
    public async Task QueuedInput_SaysReceived_ThenItsOutcome()
    {
        var message = await ReportOfNewTargetAsync("queued");

        var submission = await harness.Ingestion.SubmitAsync(message, ReportDoors.Api, CancellationToken.None);
        var queued = await harness.Ingestion.GetAsync(submission.Record.Input, CancellationToken.None);
        await harness.Monitor.DrainAsync();
        var processed = await harness.Ingestion.GetAsync(submission.Record.Input, CancellationToken.None);
        var again = await harness.Ingestion.SubmitAsync(message, ReportDoors.Api, CancellationToken.None);

        Assert.True(submission.Queued);
        Assert.Equal(ReportInputState.Received, queued!.State);
        Assert.Equal((ReportInputState.Processed, ReportOutcomeStatus.Stored, ReportDoors.Api), (processed!.State, Assert.Single(processed.Reports).Status, processed.Door));
        Assert.Equal(submission.Record.ReceivedAt, processed.ReceivedAt);
        Assert.False(again.Queued);
        Assert.Equal(ReportOutcomeStatus.Duplicate, Assert.Single(again.Record.Reports).Status);
        await AssertCountedAndListedOnceAsync("queued");
    }

    [Fact]
    public async Task InputADoorRefused_IsRecordedOnce_AndRefusedAgainIsFoundProcessed()
    {
        // A refusal has no blob: its record of receipt gives the time its outcome is indexed at.
        var input = ReportBlobStore.InputId("refused twice"u8);

        var first = await harness.Ingestion.RefuseAsync(input, 40_000_000, ReportDoors.Mailbox, "too large", CancellationToken.None);
        var again = await harness.Ingestion.RefuseAsync(input, 40_000_000, ReportDoors.Mailbox, "too large", CancellationToken.None);
        var found = await harness.Ingestion.GetAsync(input, CancellationToken.None);

        Assert.Equal((ReportInputState.Processed, first.ReceivedAt, first.ProcessedAt), (again.State, again.ReceivedAt, again.ProcessedAt));
        Assert.Equal((ReportInputState.Processed, "too large"), (found!.State, Assert.Single(found.Reports).Reason));
        // Its row of receipt and one outcome in the time index, written once.
        var rows = await OldLayoutInputs.RowsAsync(harness.Account, input);
        Assert.Equal([ReverseTimeKeyOf(first) + "|" + input + "|00000", "input"], rows.Select(r => r.RowKey).Order(StringComparer.Ordinal));
    }

    private static string ReverseTimeKeyOf(ReportInputRecord record) => Storage.Keys.ReverseTime.Key(record.ReceivedAt);

    /// <summary>A target <paramref name="name"/> of domain <c>{name}.example</c>, and Google's message of a report for it.</summary>
    private async Task<byte[]> ReportOfNewTargetAsync(string name)
    {
        await harness.Monitor.AddTargetAsync(name, name + ".example");
        return Reporters.GoogleMessage(IngestionHarness.Google(name + ".example"));
    }

    private async Task AssertCountedAndListedOnceAsync(string target)
    {
        Assert.Equal(1, Assert.Single((await harness.Totals.DmarcDaysAsync(target, Day, Day, CancellationToken.None))!).Reports);
        Assert.Equal(ReportOutcomeStatus.Stored, Assert.Single((await harness.ListAsync(target + ".example")).Items).Report.Status);
    }
}
