using MailHealth.Monitor.ReceiverReports;
using MailHealth.Storage.Configuration;
using MailHealth.Storage.ReceiverReports;
using MailHealth.Testing.Reports;

namespace MailHealth.Monitor.Tests.ReceiverReports;

/// <summary>
/// Nothing partly stored: the process fails part way through a report (the processor's fault
/// hook throws where a crash would stop it: between two tallies' writes, before the commit, after
/// it), and processing the input again, as the queue's retry or the mailbox's next poll does,
/// gives exactly the totals of one clean run; meanwhile nothing of the report counts.
/// </summary>
public sealed class ReportCrashTests(IngestionHarness harness) : IClassFixture<IngestionHarness>
{
    private static DateOnly Day => IngestionHarness.DayOf(IngestionHarness.Day);

    [Theory]
    [InlineData("tally", 3, false)]
    [InlineData("commit", 1, false)]
    [InlineData("committed", 1, true)]
    public async Task CrashPartWay_ThenRetry_GivesTheTotalsOfOneRun(string step, int occurrence, bool countsBeforeRetry)
    {
        var domain = $"crash-{step}.example";
        var target = $"crash-{step}";
        await harness.Monitor.AddTargetAsync(target, domain);
        // 17 sources in tallies of 3: six tallies, so a crash after the third leaves half written.
        var spec = IngestionHarness.Google(domain, rows: 40, sources: 17);
        var (messages, passed) = IngestionHarness.Expected(spec);
        var message = Reporters.GoogleMessage(spec);
        var processor = harness.Monitor.Get<ReportProcessor>();
        processor.SourcesPerTally = 3;
        var seen = 0;
        processor.Fault = (at, _) => at == step && ++seen == occurrence ? throw new SimulatedCrashException(at) : Task.CompletedTask;
        try
        {
            await Assert.ThrowsAsync<SimulatedCrashException>(() => harness.IngestAsync(message));

            var meanwhile = await harness.Totals.DmarcDaysAsync(target, Day, Day, CancellationToken.None);
            Assert.Equal(countsBeforeRetry ? 1 : 0, meanwhile!.Count);
            var input = ReportBlobStore.InputId(message);
            // The command line records an input once it is processed: nothing of this one yet but its blob.
            Assert.Null(await harness.Ingestion.GetAsync(input, CancellationToken.None));
            var receipt = await harness.Monitor.Get<ReportBlobStore>().GetReceiptAsync(input);

            processor.Fault = null;
            var retried = await harness.IngestAsync(message);

            Assert.Equal(ReportOutcomeStatus.Stored, Assert.Single(retried.Reports).Status);
            // Received when first kept, not when retried.
            Assert.Equal(receipt!.ReceivedAt, retried.ReceivedAt);
        }
        finally
        {
            processor.Fault = null;
            processor.SourcesPerTally = 50_000;
        }

        var day = Assert.Single((await harness.Totals.DmarcDaysAsync(target, Day, Day, CancellationToken.None))!);
        Assert.Equal((1, messages, passed), (day.Reports, day.Counts.Messages, day.Counts.DmarcPass));
        var sources = (await harness.Totals.DmarcSourcesAsync(target, Day, CancellationToken.None))!;
        Assert.Equal(17, sources.Count);
        Assert.Equal(messages, sources.Sum(s => s.Counts.Messages));
        // The retry wrote the same rows again, none beside them: one per tally (its sources packed).
        Assert.Equal(Tallies(spec, 3), (await harness.RowsAsync(StorageTables.DmarcSources, domain)).Count);
        // Recorded once, when first received, and listed once.
        Assert.Equal(ReportOutcomeStatus.Stored, Assert.Single((await harness.ListAsync(domain)).Items).Report.Status);
        Assert.Single(await OldLayoutInputs.RowsAsync(harness.Account, ReportBlobStore.InputId(message)));
    }

    [Fact]
    public async Task InputThatCrashed_ThenLostToAnotherCarryingTheSameReport_IsADuplicate_AndItsRowsGo()
    {
        await harness.Monitor.AddTargetAsync("race", "race.example");
        var spec = IngestionHarness.Google("race.example", rows: 20, sources: 7);
        var (messages, _) = IngestionHarness.Expected(spec);
        var crashed = Reporters.GoogleMessage(spec);
        await harness.IngestCrashingAtAsync(crashed, "commit");

        var other = await harness.IngestAsync(Reporters.MicrosoftMessage(spec));
        var retried = await harness.IngestAsync(crashed);

        Assert.Equal(ReportOutcomeStatus.Stored, Assert.Single(other.Reports).Status);
        Assert.Equal((ReportOutcomeStatus.Duplicate, other.Input), (Assert.Single(retried.Reports).Status, retried.Reports[0].DuplicateOf));
        var day = Assert.Single((await harness.Totals.DmarcDaysAsync("race", Day, Day, CancellationToken.None))!);
        Assert.Equal((1, messages), (day.Reports, day.Counts.Messages));
        // The crashed input's row went; the winner's holds the 7 sources.
        Assert.Single(await harness.RowsAsync(StorageTables.DmarcSources, "race.example"));
    }

    /// <summary>How many tallies of <paramref name="size"/> sources the records of <paramref name="spec"/> make.</summary>
    private static int Tallies(AggregateReportSpec spec, int size)
    {
        var tallies = 0;
        var tally = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in spec.Rows)
        {
            tally.Add(row.SourceIp!);
            if (tally.Count == size)
            {
                tallies++;
                tally.Clear();
            }
        }

        return tallies + (tally.Count > 0 ? 1 : 0);
    }
}
