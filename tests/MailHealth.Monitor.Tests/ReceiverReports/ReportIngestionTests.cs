using MailHealth.Monitor.ReceiverReports;
using MailHealth.Storage.Configuration;
using MailHealth.Storage.Dkim;
using MailHealth.Storage.Queues;
using MailHealth.Storage.ReceiverReports;
using MailHealth.Testing.Reports;

namespace MailHealth.Monitor.Tests.ReceiverReports;

/// <summary>
/// Stored once, counted once (issue 16, item 3), on Azurite: each input kept once, each report
/// counted once whatever carries it again, another organisation's or domain's report counted as
/// another, a report of several days spread over them, a domain without a target kept until one is
/// added, an input that holds no report recorded with its reason and nothing else.
/// </summary>
public sealed class ReportIngestionTests(IngestionHarness harness) : IClassFixture<IngestionHarness>
{
    private static DateOnly Day => IngestionHarness.DayOf(IngestionHarness.Day);

    [Fact]
    public async Task Report_StoredOnce_CountedInItsDay_InputKeptOnce()
    {
        await harness.Monitor.AddTargetAsync("once", "once.example");
        var spec = IngestionHarness.Google("once.example");
        var (messages, passed) = IngestionHarness.Expected(spec);
        var message = Reporters.GoogleMessage(spec);
        var blobsBefore = await harness.BlobCountAsync();

        var record = await harness.IngestAsync(message);
        await harness.IngestAsync(message);

        var outcome = Assert.Single(record.Reports);
        Assert.Equal(ReportOutcomeStatus.Stored, outcome.Status);
        Assert.Equal(ReportInputState.Processed, record.State);
        Assert.Equal(("google.com", "once.example", 14L), (outcome.OrgName, outcome.PolicyDomain, outcome.Records));
        Assert.Equal(["once"], outcome.Targets);
        Assert.Equal(messages, outcome.Messages);
        var day = Assert.Single((await harness.Totals.DmarcDaysAsync("once", Day, Day, CancellationToken.None))!);
        Assert.Equal((Day, 1, messages, passed), (day.Day, day.Reports, day.Counts.Messages, day.Counts.DmarcPass));
        var sources = await harness.Totals.DmarcSourcesAsync("once", Day, CancellationToken.None);
        Assert.Equal(5, sources!.Count);
        Assert.Equal(messages, sources.Sum(s => s.Counts.Messages));
        Assert.Equal(blobsBefore + 1, await harness.BlobCountAsync());
        Assert.Equal(ReportInputState.Processed, (await harness.Ingestion.GetAsync(record.Input, CancellationToken.None))!.State);
    }

    [Fact]
    public async Task ReportOfManySources_WrittenInSeveralCalls_CountsEveryOne()
    {
        await harness.Monitor.AddTargetAsync("many", "many.example");
        var spec = IngestionHarness.Google("many.example", rows: 1_000, sources: 1_000);

        var processor = harness.Monitor.Get<ReportProcessor>();
        processor.SourcesPerRow = 7;
        try
        {
            await harness.IngestAsync(Reporters.GoogleMessage(spec));
        }
        finally
        {
            processor.SourcesPerRow = DmarcSourceStore.MaxSourcesPerRow;
        }

        var sources = await harness.Totals.DmarcSourcesAsync("many", Day, CancellationToken.None);
        Assert.Equal(1_000, sources!.Count);
        Assert.Equal(IngestionHarness.Expected(spec).Messages, sources.Sum(s => s.Counts.Messages));
        Assert.All(sources, s => Assert.Equal(1, s.Reports));
        // 143 rows of at most 7 sources, written 5 a call: 29 calls, every row there once.
        Assert.Equal(143, (await harness.RowsAsync(StorageTables.DmarcSources, "many.example")).Count);
    }

    [Fact]
    public async Task QueuedInput_WhoseBlobIsGone_IsInvalidWithThatReason()
    {
        var submission = await harness.Ingestion.SubmitAsync(Reporters.GoogleMessage(IngestionHarness.Google("gone.example")), ReportDoors.Api, CancellationToken.None);
        var received = submission.Record;
        var blob = harness.Account.ReportContainer.GetBlobClient(ReportBlobStore.BlobName(received.Input));
        await blob.DeleteAsync();
        Assert.False(await blob.ExistsAsync());
        Assert.Null(await harness.Monitor.Get<ReportBlobStore>().GetAsync(received.Input, 1000));

        var record = await harness.Ingestion.ProcessAsync(new ReportRequest(received.Input, received.ReceivedAt, received.Door), CancellationToken.None);

        var outcome = Assert.Single(record.Reports);
        Assert.Equal((ReportOutcomeStatus.Invalid, "the stored input is gone from the report container"), (outcome.Status, outcome.Reason));
        Assert.Equal(received.Bytes, record.Bytes);
    }

    [Fact]
    public async Task RedeliveredReport_IsADuplicate_AndChangesNoTotal()
    {
        await harness.Monitor.AddTargetAsync("again", "again.example");
        var spec = IngestionHarness.Google("again.example");
        var message = Reporters.GoogleMessage(spec);
        var first = await harness.IngestAsync(message);
        var daysBefore = await harness.Totals.DmarcDaysAsync("again", Day, Day, CancellationToken.None);
        var rowsBefore = (await harness.RowsAsync(StorageTables.DmarcSources, "again.example")).Count;

        // The same report carried again, in another container: another input, the same identity.
        var redelivered = await harness.IngestAsync(Reporters.MicrosoftMessage(spec));
        // The very same bytes again: the same input, not processed again.
        var repeated = await harness.IngestAsync(message);

        var duplicate = Assert.Single(redelivered.Reports);
        Assert.Equal(ReportOutcomeStatus.Duplicate, duplicate.Status);
        Assert.NotEqual(redelivered.Input, duplicate.DuplicateOf);
        Assert.Contains("counts once", duplicate.Reason, StringComparison.Ordinal);
        Assert.Equal(first.Input, repeated.Input);
        Assert.Equal(first.ProcessedAt, repeated.ProcessedAt);
        Assert.Equal((ReportOutcomeStatus.Duplicate, first.Input), (Assert.Single(repeated.Reports).Status, repeated.Reports[0].DuplicateOf));
        var daysAfter = await harness.Totals.DmarcDaysAsync("again", Day, Day, CancellationToken.None);
        Assert.Equal(daysBefore!.Single().Counts.Values, daysAfter!.Single().Counts.Values);
        Assert.Equal(1, daysAfter!.Single().Reports);
        Assert.Equal(rowsBefore, (await harness.RowsAsync(StorageTables.DmarcSources, "again.example")).Count);
    }

    [Fact]
    public async Task RedeliveredTlsReport_IsADuplicate_AndTheRowsItWroteGo()
    {
        await harness.Monitor.AddTargetAsync("tls-again", "tls-again.example");
        var json = TlsReportJson.Bytes(Reporters.MicrosoftTls("tls-again.example", IngestionHarness.Day));
        var first = await harness.IngestAsync(Containers.Gzip(json));
        var rowsBefore = await harness.RowsAsync(StorageTables.TlsResults, "tls-again.example");

        // The same report uncompressed: another input, the same identity; posted, so a worker
        // processes it after its blob was stored (not known to be its first attempt): its rows
        // are written, its commit conflicts, and they go.
        var submitted = await harness.Ingestion.SubmitAsync(json, ReportDoors.Api, CancellationToken.None);
        await harness.Monitor.DrainAsync();
        var redelivered = (await harness.Ingestion.GetAsync(submitted.Record.Input, CancellationToken.None))!;

        Assert.Equal(ReportOutcomeStatus.Stored, Assert.Single(first.Reports).Status);
        Assert.Equal((ReportOutcomeStatus.Duplicate, first.Input), (Assert.Single(redelivered.Reports).Status, redelivered.Reports[0].DuplicateOf));
        var day = Assert.Single((await harness.Totals.TlsDaysAsync("tls-again", Day, Day, CancellationToken.None))!);
        Assert.Equal((840.0, 3.0), (day.Sessions.Successful, day.Sessions.Failed));
        // Its rows were written before its commit conflicted, and removed then: only the first input's are left.
        var rowsAfter = await harness.RowsAsync(StorageTables.TlsResults, "tls-again.example");
        Assert.Equal(rowsBefore.Select(r => r.RowKey).Order(), rowsAfter.Select(r => r.RowKey).Order());
    }

    [Fact]
    public async Task ReportThisProcessStored_RedeliveredInOtherBytes_IsADuplicateFromOneRead_WithNothingWritten()
    {
        await harness.Monitor.AddTargetAsync("seen", "seen.example");
        var spec = IngestionHarness.Google("seen.example", rows: 20, sources: 6);
        var (messages, passed) = IngestionHarness.Expected(spec);
        var first = await harness.IngestAsync(Reporters.GoogleMessage(spec));
        var rowsBefore = await harness.RowsAsync(StorageTables.DmarcSources, "seen.example");
        var processor = harness.Monitor.Get<ReportProcessor>();
        var steps = new List<string>();
        processor.Fault = (step, _) =>
        {
            steps.Add(step);
            return Task.CompletedTask;
        };
        ReportInputRecord redelivered;
        try
        {
            // The same report in another container, new bytes: this process committed its identity.
            redelivered = await harness.IngestAsync(Reporters.MicrosoftMessage(spec));
        }
        finally
        {
            processor.Fault = null;
        }

        var duplicate = Assert.Single(redelivered.Reports);
        Assert.Equal((ReportOutcomeStatus.Duplicate, first.Input), (duplicate.Status, duplicate.DuplicateOf));
        // Its records read all the same, and its targets named as a commit would.
        Assert.Equal((20L, messages, passed), (duplicate.Records, duplicate.Messages, duplicate.DmarcPass));
        Assert.Equal(["seen"], duplicate.Targets);
        // No tally written, no commit tried: the ledger's row said duplicate first.
        Assert.Empty(steps);
        Assert.Equal(rowsBefore.Select(r => r.RowKey), (await harness.RowsAsync(StorageTables.DmarcSources, "seen.example")).Select(r => r.RowKey));
        var day = Assert.Single((await harness.Totals.DmarcDaysAsync("seen", Day, Day, CancellationToken.None))!);
        Assert.Equal((1, messages), (day.Reports, day.Counts.Messages));
    }

    [Fact]
    public async Task SameReportId_FromAnotherOrganisationOrForAnotherDomain_IsAnotherReport()
    {
        await harness.Monitor.AddTargetAsync("other", "other.example");
        await harness.Monitor.AddTargetAsync("other-two", "other-two.example");
        var spec = IngestionHarness.Google("other.example");
        var (messages, _) = IngestionHarness.Expected(spec);

        var first = await harness.IngestAsync(Reporters.GoogleMessage(spec));
        var otherOrganisation = await harness.IngestAsync(Reporters.GoogleMessage(spec with { OrgName = "example.net", Email = "dmarc@example.net" }));
        var otherDomain = await harness.IngestAsync(Reporters.GoogleMessage(spec with { Domain = "other-two.example" }));

        Assert.All([first, otherOrganisation, otherDomain], r => Assert.Equal(ReportOutcomeStatus.Stored, Assert.Single(r.Reports).Status));
        var day = Assert.Single((await harness.Totals.DmarcDaysAsync("other", Day, Day, CancellationToken.None))!);
        Assert.Equal((2, 2 * messages), (day.Reports, day.Counts.Messages));
        var two = Assert.Single((await harness.Totals.DmarcDaysAsync("other-two", Day, Day, CancellationToken.None))!);
        Assert.Equal((1, messages), (two.Reports, two.Counts.Messages));
    }

    [Fact]
    public async Task ReportOfSeveralDays_IsSpreadInProportion()
    {
        await harness.Monitor.AddTargetAsync("spread", "spread.example");
        // 48 hours from noon: a quarter on the first day, half on the second, a quarter on the third.
        var begin = IngestionHarness.Day.AddDays(-2).AddHours(12);
        var spec = IngestionHarness.Google("spread.example", rows: 8, sources: 2) with
        {
            Begin = AggregateReportSpec.Epoch(begin),
            End = AggregateReportSpec.Epoch(begin.AddHours(48)),
        };
        var (messages, passed) = IngestionHarness.Expected(spec);

        await harness.IngestAsync(Reporters.GoogleMessage(spec));

        var first = IngestionHarness.DayOf(begin);
        var days = (await harness.Totals.DmarcDaysAsync("spread", first, first.AddDays(2), CancellationToken.None))!;
        Assert.Equal([first, first.AddDays(1), first.AddDays(2)], days.Select(d => d.Day));
        Assert.Equal([messages / 4, messages / 2, messages / 4], days.Select(d => d.Counts.Messages));
        Assert.Equal(messages, days.Sum(d => d.Counts.Messages), 9);
        Assert.Equal(passed, days.Sum(d => d.Counts.DmarcPass), 9);
        var middle = (await harness.Totals.DmarcSourcesAsync("spread", first.AddDays(1), CancellationToken.None))!;
        Assert.Equal(messages / 2, middle.Sum(s => s.Counts.Messages), 9);
    }

    [Fact]
    public async Task ReportForAnUnmonitoredDomain_IsKept_ListedUnmatched_AndCountsForTheTargetAddedLater()
    {
        var spec = IngestionHarness.Google("late.example");
        var (messages, _) = IngestionHarness.Expected(spec);

        var record = await harness.IngestAsync(Reporters.GoogleMessage(spec));

        var outcome = Assert.Single(record.Reports);
        Assert.Equal(ReportOutcomeStatus.Stored, outcome.Status);
        Assert.Empty(outcome.Targets);
        Assert.Contains(await harness.Totals.UnmatchedDomainsAsync(CancellationToken.None), d => d.Domain == "late.example");
        Assert.Null(await harness.Totals.DmarcDaysAsync("late", Day, Day, CancellationToken.None));

        await harness.Monitor.AddTargetAsync("late", "late.example");

        Assert.DoesNotContain(await harness.Totals.UnmatchedDomainsAsync(CancellationToken.None), d => d.Domain == "late.example");
        var day = Assert.Single((await harness.Totals.DmarcDaysAsync("late", Day, Day, CancellationToken.None))!);
        Assert.Equal(messages, day.Counts.Messages);
    }

    [Fact]
    public async Task InputWithoutAReport_IsRecordedWithItsReason_AndNothingElseIsStored()
    {
        var record = await harness.IngestAsync(ReportMail.Bytes(ReportMail.Bounce(IngestionHarness.Day)));

        var outcome = Assert.Single(record.Reports);
        Assert.Equal(ReportOutcomeStatus.Invalid, outcome.Status);
        Assert.Equal("no report in this message (a delivery status notification)", outcome.Reason);
        var logged = await harness.Ingestion.GetAsync(record.Input, CancellationToken.None);
        Assert.Equal(outcome.Reason, Assert.Single(logged!.Reports).Reason);
        Assert.Null(outcome.PolicyDomain);
    }

    [Fact]
    public async Task TruncatedReport_IsInvalid_AndWhatItsTalliesWroteIsRemoved()
    {
        var processor = harness.Monitor.Get<ReportProcessor>();
        var spec = IngestionHarness.Google("cut.example", rows: 60, sources: 30);
        var cut = HostileInputs.Truncated(AggregateXml.Bytes(spec), 0.8);
        processor.SourcesPerTally = 4;
        try
        {
            var record = await harness.IngestAsync(cut);

            var outcome = Assert.Single(record.Reports);
            Assert.Equal(ReportOutcomeStatus.Invalid, outcome.Status);
            Assert.StartsWith("malformed XML", outcome.Reason, StringComparison.Ordinal);
            Assert.True(outcome.Records > 8, $"{outcome.Records} records were read before the cut: more than two tallies");
        }
        finally
        {
            processor.SourcesPerTally = 50_000;
        }

        Assert.Empty(await harness.RowsAsync(StorageTables.DmarcSources, "cut.example"));
        Assert.Empty(await harness.RowsAsync(StorageTables.Reports, "cut.example"));
        Assert.DoesNotContain(await harness.Totals.UnmatchedDomainsAsync(CancellationToken.None), d => d.Domain == "cut.example");
    }

    [Fact]
    public async Task ReportOfTooManyDays_IsInvalid_WithTheSettingNamed()
    {
        var begin = IngestionHarness.Day.AddDays(-40);
        var spec = IngestionHarness.Google("long.example") with { Begin = AggregateReportSpec.Epoch(begin), End = AggregateReportSpec.Epoch(IngestionHarness.Day) };

        var record = await harness.IngestAsync(AggregateXml.Bytes(spec));

        var outcome = Assert.Single(record.Reports);
        Assert.Equal(ReportOutcomeStatus.Invalid, outcome.Status);
        Assert.Equal("its range covers 40 days, more than MailHealth:Ingestion:MaxReportDays (31)", outcome.Reason);
        Assert.Empty(await harness.RowsAsync(StorageTables.Reports, "long.example"));
    }

    [Fact]
    public async Task TlsReport_CountedPerDay_AndPerPolicyMxHostAndResultType()
    {
        await harness.Monitor.AddTargetAsync("tls", "tls.example");
        var spec = Reporters.MicrosoftTls("tls.example", IngestionHarness.Day);

        var record = await harness.IngestAsync(Containers.Gzip(TlsReportJson.Bytes(spec)));

        Assert.Equal(ReportOutcomeStatus.Stored, Assert.Single(record.Reports).Status);
        var day = Assert.Single((await harness.Totals.TlsDaysAsync("tls", Day, Day, CancellationToken.None))!);
        Assert.Equal((840.0, 3.0), (day.Sessions.Successful, day.Sessions.Failed));
        var results = (await harness.Totals.TlsResultsAsync("tls", Day, CancellationToken.None))!;
        var failure = Assert.Single(results, r => !r.Key.IsSummary);
        Assert.Equal(("sts", "mx1.tls.example", "validation-failure", 3.0), (failure.Key.PolicyType, failure.Key.MxHost, failure.Key.ResultType, failure.Sessions.Failed));
        Assert.Equal(["sts", "tlsa"], results.Where(r => r.Key.IsSummary).Select(r => r.Key.PolicyType));
    }

    [Fact]
    public async Task SelectorsThatSignedForTheDomain_AreRecordedForItsTarget()
    {
        await harness.Monitor.AddTargetAsync("signed", "signed.example");
        var spec = IngestionHarness.Google("signed.example") with
        {
            Rows =
            [
                new AggregateRow { SourceIp = "192.0.2.7", DkimResults = [new DkimSignatureResult("signed.example", "s2026", "pass"), new DkimSignatureResult("esp.example.net", "esp1", "pass")] },
                new AggregateRow { SourceIp = "192.0.2.8", DkimResults = [new DkimSignatureResult("signed.example", "forged", "fail")] },
            ],
        };

        await harness.IngestAsync(AggregateXml.Bytes(spec));

        // Where the DKIM check reads the target's remembered selectors: reported, never guessed.
        var memory = await harness.Monitor.Get<DkimSelectorStore>().GetAsync("signed");
        var selector = Assert.Single(memory.DkimSelectors);
        Assert.Null(selector.DiscoveredAt);
        Assert.Equal("s2026", selector.Selector);
        Assert.Equal(IngestionHarness.Day.AddDays(1).AddSeconds(-1), selector.ReportedAt);
    }

    [Fact]
    public async Task SubmittedInput_IsQueued_ThenProcessedByTheWorker()
    {
        await harness.Monitor.AddTargetAsync("queued", "queued.example");
        var message = Reporters.GoogleMessage(IngestionHarness.Google("queued.example"));

        var submission = await harness.Ingestion.SubmitAsync(message, ReportDoors.Api, CancellationToken.None);

        Assert.True(submission.Queued);
        Assert.Equal(ReportInputState.Received, submission.Record.State);
        Assert.Equal(1, (await harness.Monitor.Get<ReportQueue>().GetDepthAsync()).Messages);
        await harness.Monitor.DrainAsync();
        var record = await harness.Ingestion.GetAsync(submission.Record.Input, CancellationToken.None);
        Assert.Equal(ReportOutcomeStatus.Stored, Assert.Single(record!.Reports).Status);
        Assert.Equal(ReportDoors.Api, record.Door);

        // Handed in again once processed: not queued, and said to be a duplicate.
        var again = await harness.Ingestion.SubmitAsync(message, ReportDoors.Api, CancellationToken.None);
        Assert.False(again.Queued);
        Assert.Equal(ReportOutcomeStatus.Duplicate, Assert.Single(again.Record.Reports).Status);
    }

    [Fact]
    public async Task QueuedInputs_PastTheBoundOfAProcess_WaitForASlot_ThenAreStored()
    {
        // Both hosts' queue consumers call ProcessAsync; the Functions host may hand it a batch of 12 at once.
        await harness.Monitor.AddTargetAsync("bounded", "bounded.example");
        var submission = await harness.Ingestion.SubmitAsync(Reporters.GoogleMessage(IngestionHarness.Google("bounded.example")), ReportDoors.Api, CancellationToken.None);
        var request = new ReportRequest(submission.Record.Input, submission.Record.ReceivedAt, submission.Record.Door);
        var slots = harness.Ingestion.InputSlots;
        for (var i = 0; i < ReportIngestion.MaxInputsInFlight; i++)
        {
            await slots.WaitAsync();
        }

        // Every slot is taken (two inputs in flight): this one cannot start, let alone finish.
        var waiting = harness.Ingestion.ProcessAsync(request, CancellationToken.None);
        Assert.False(waiting.IsCompleted);
        Assert.Equal(ReportInputState.Received, (await harness.Ingestion.GetAsync(request.Input, CancellationToken.None))!.State);

        slots.Release();
        var record = await waiting;

        Assert.Equal(ReportOutcomeStatus.Stored, Assert.Single(record.Reports).Status);
        // It gave its slot back: one is still held here, one free.
        Assert.Equal(1, slots.CurrentCount);
        slots.Release(ReportIngestion.MaxInputsInFlight - 1);
    }
}
