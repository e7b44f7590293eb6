using System.Globalization;
using MailHealth.Dns;
using MailHealth.ReceiverReports;
using MailHealth.ReportTotals;
using MailHealth.Storage.Availability;
using MailHealth.Storage.Queues;
using MailHealth.Storage.ReceiverReports;
using Microsoft.Extensions.Options;

namespace MailHealth.Monitor.ReceiverReports;

/// <summary>
/// Stores one report found in an input, once (docs/storage.md, "Receivers' reports"): its rows by
/// source (or by TLS result) are added up while its records stream, in tallies of at most
/// <see cref="SourcesPerTally"/> addresses, each written as it fills, spread over the days of the
/// report's range, under keys of its own and its input's; then its selectors and its domain are
/// noted, and last one transaction commits its ledger row (inserted only if there is none) with
/// its day totals. A report whose identity the ledger holds already is a duplicate: its commit
/// conflicts, writes nothing, and the rows it wrote are removed (or none are written, when the
/// ledger was read first: <see cref="RecentLedgerKeys"/>). Every write before the commit is
/// an upsert of the same keys and values when done again, and nothing counts until the commit: a
/// crash anywhere and a retry give the same totals. A report that turns out invalid part way has
/// what it wrote removed.
/// </summary>
public sealed class ReportProcessor(
    ReportLedger ledger,
    DmarcSourceStore sources,
    TlsResultStore tlsResults,
    ReportDomainIndex domains,
    DomainTargets targets,
    IReportedSelectors selectors,
    ReportStorageCalls storage,
    IOptions<ReportIngestionSettings> settings,
    TimeProvider time,
    DmarcSenderNaming? naming = null)
{
    // naming: registered by AddMailHealthSenderNaming (the hosts, `mailhealth reports import` and
    // `reports poll`); absent with their --no-naming, which leaves the names to the next run of
    // the domain's target.

    /// <summary>
    /// Distinct sources of one report named right after its commit: enough for every report
    /// receivers send (20,000 for the largest seen); a report of more leaves the rest to the next
    /// run of its target, and the set's memory bounded (about 100 bytes an address).
    /// </summary>
    public const int MaxSourcesNamedAtCommit = 100_000;

    /// <summary>Selectors kept of one report: receivers sign with a handful; a report naming thousands is not telling of keys in use.</summary>
    public const int MaxSelectorsPerReport = 100;

    /// <summary>
    /// Distinct source addresses a tally holds before its rows are written (about 200 bytes each in
    /// memory): a report of 20,000 sources is one tally, one of a million is twenty, in bounded
    /// memory. A constant, not a setting: a retry must cut the records into the same tallies to
    /// write the same rows. Tests set a small one.
    /// </summary>
    internal int SourcesPerTally { get; set; } = 50_000;

    /// <summary>The reports this process found in the ledger lately: one of them in other bytes is likely a duplicate.</summary>
    private readonly RecentLedgerKeys ledgered = new();

    /// <summary>Called at each step of a report's storing (<c>tally</c> after a tally is written, <c>commit</c> before the commit, <c>committed</c> after it): a test's way to fail the process there.</summary>
    internal Func<string, CancellationToken, Task>? Fault { get; set; }

    /// <summary>
    /// Stores <paramref name="report"/>, report <paramref name="index"/> of <paramref name="input"/>,
    /// reading its records; its outcome. Throws when storage fails (nothing is counted then, and
    /// processing the input again finishes the job). <paramref name="firstAttempt"/>: no attempt
    /// before this one can have written rows under the input's keys (its blob was stored by this
    /// very call, and rows are written only after it).
    /// </summary>
    /// <exception cref="StorageUnavailableException">Storage did not let the report be stored: process the input again later.</exception>
    public async Task<ReportOutcome> ProcessAsync(ReceivedReport report, int index, ReportRequest input, bool firstAttempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(input);
        var outcome = new ReportOutcome { Index = index, Part = report.Part, Kind = report.Kind?.Name(), Status = ReportOutcomeStatus.Invalid };
        var identity = ReportIdentity.Of(report);
        if (identity is null)
        {
            return outcome with { Reason = report.Reason ?? "no report could be read", Warnings = report.Warnings.ToList() };
        }

        outcome = outcome with
        {
            OrgName = identity.OrgName,
            ReportId = identity.ReportId,
            PolicyDomain = identity.PolicyDomain,
            Begin = identity.Begin,
            End = identity.End,
            ReportKey = identity.Key,
        };
        if (Refusal(identity) is { } refusal)
        {
            return outcome with { Reason = refusal, Warnings = report.Warnings.ToList() };
        }

        // The ledger is not asked first whether the identity is stored: its commit inserts the
        // ledger row only if there is none, and a conflict says duplicate. A new report (the usual
        // case) saves a read; a re-delivered one writes rows under its own input's keys, which
        // count for nothing and go when its commit conflicts (EarlierAsync). Unless this process
        // found the identity in the ledger lately and no attempt wrote rows of this input: then
        // one read tells a duplicate, which writes nothing (a retried input goes the usual way,
        // which removes what its attempt before wrote).
        var committedBefore = firstAttempt && ledgered.Contains(identity.Key)
            ? await storage.RunAsync(ct => ledger.GetAsync(identity.PolicyDomain, identity.Key, ct), cancellationToken).ConfigureAwait(false)
            : null;
        if (committedBefore?.Input == input.Input)
        {
            // This very input, from another door at once: the usual way says stored.
            committedBefore = null;
        }

        return report.Aggregate is { } aggregate
            ? await StoreDmarcAsync(report, aggregate, identity, outcome, input, committedBefore, cancellationToken).ConfigureAwait(false)
            : await StoreTlsAsync(report, report.Tls!, identity, outcome, input, committedBefore, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Why a readable report cannot be stored: a policy domain that is no domain name, a range of too many days, or one that ended before the days kept.</summary>
    private string? Refusal(ReportIdentity identity)
    {
        if (!DomainName.TryParse(identity.PolicyDomain, out _, out var problem))
        {
            return $"the policy domain is not a domain name: {problem}";
        }

        var kept = settings.Value.RetentionDays;
        if (identity.End <= ReportRetention.CutOff(time.GetUtcNow(), kept))
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"its range ended on {identity.End.UtcDateTime:yyyy-MM-dd}, before the {kept:N0} days reports are kept ({ReportIngestionSettings.Section}:{nameof(ReportIngestionSettings.RetentionDays)}): retention would remove it");
        }

        var days = ReportDays.Count(identity.Begin, identity.End);
        var max = settings.Value.MaxReportDays;
        return days > max
            ? string.Create(CultureInfo.InvariantCulture, $"its range covers {days:N0} days, more than {ReportIngestionSettings.Section}:{nameof(ReportIngestionSettings.MaxReportDays)} ({max})")
            : null;
    }

    /// <summary>Reads the aggregate report's records and stores them; <paramref name="committedBefore"/>: the report is a duplicate of that one, its records are read (they may make it invalid) and nothing written.</summary>
    private async Task<ReportOutcome> StoreDmarcAsync(ReceivedReport report, AggregateReport aggregate, ReportIdentity identity, ReportOutcome outcome, ReportRequest input, StoredReport? committedBefore, CancellationToken cancellationToken)
    {
        var days = ReportDays.Spread(identity.Begin, identity.End);
        var tally = new Dictionary<string, DmarcCounts>(StringComparer.Ordinal);
        var total = new DmarcCounts();
        var signers = new HashSet<string>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        long records = 0;
        var tallies = 0;
        var counted = 0;
        foreach (var record in aggregate.Records)
        {
            records++;
            var source = record.SourceIp.ToString();
            if (!tally.TryGetValue(source, out var counts))
            {
                tally[source] = counts = new DmarcCounts();
            }

            counts.Add(record);
            total.Add(record);
            if (seen.Count < MaxSourcesNamedAtCommit)
            {
                seen.Add(source);
            }

            NoteSelectors(record, identity.PolicyDomain, signers);
            if (tally.Count >= SourcesPerTally)
            {
                if (committedBefore is null)
                {
                    await WriteTallyAsync(identity, input, tallies++, days, tally, cancellationToken).ConfigureAwait(false);
                }

                counted += tally.Count;
                tally.Clear();
            }
        }

        // Every record has been read: the report's status is final now.
        outcome = outcome with { Records = records, DroppedRecords = aggregate.DroppedRecords, Warnings = report.Warnings.ToList() };
        if (report.Status == ReceivedReportStatus.Invalid)
        {
            if (tallies > 0)
            {
                await storage.RunAsync(ct => sources.DeleteAsync(identity.PolicyDomain, identity.Key, input.Input, days, ct), cancellationToken).ConfigureAwait(false);
            }

            return outcome with { Reason = report.Reason };
        }

        outcome = outcome with { Messages = total.Messages, DmarcPass = total.DmarcPass };
        if (committedBefore is not null)
        {
            return await DuplicateAsync(outcome, committedBefore, cancellationToken).ConfigureAwait(false);
        }

        if (tally.Count > 0)
        {
            await WriteTallyAsync(identity, input, tallies, days, tally, cancellationToken).ConfigureAwait(false);
            counted += tally.Count;
        }

        var stored = Stored(identity, input, report, records, counted) with { Dmarc = total };
        (outcome, var committed) = await CommitAsync(stored, signers, outcome, cancellationToken).ConfigureAwait(false);
        if (committed && naming is not null)
        {
            // After the commit: the report counts whatever becomes of its names, and naming waits
            // at most its deadline (MailHealth:SenderNaming:Deadline), failing into a log line. Only
            // by the commit itself: a retry that finds it committed leaves the names to the target's run.
            var (first, last) = (days[0].Day, days[^1].Day);
            await naming.NameAsync(identity.PolicyDomain, [.. seen.Select(ip => new SeenSource(ip, first, last))], cancellationToken).ConfigureAwait(false);
        }

        return outcome;
    }

    /// <summary>Stores the TLS report's counts; <paramref name="committedBefore"/>: the report is a duplicate of that one, and nothing is written.</summary>
    private async Task<ReportOutcome> StoreTlsAsync(ReceivedReport report, TlsReport tls, ReportIdentity identity, ReportOutcome outcome, ReportRequest input, StoredReport? committedBefore, CancellationToken cancellationToken)
    {
        var total = new TlsSessionCounts(tls.Policies.Sum(p => (double)p.SuccessfulSessions), tls.Policies.Sum(p => (double)p.FailedSessions));
        outcome = outcome with
        {
            Records = tls.Policies.Count,
            Warnings = report.Warnings.ToList(),
            SuccessfulSessions = total.Successful,
            FailedSessions = total.Failed,
        };
        if (committedBefore is not null)
        {
            return await DuplicateAsync(outcome, committedBefore, cancellationToken).ConfigureAwait(false);
        }

        var counts = TlsSessionCounts.Of(tls);
        var days = ReportDays.Spread(identity.Begin, identity.End);
        await storage.RunAsync(ct => tlsResults.WriteAsync(identity.PolicyDomain, identity.Key, input.Input, days, counts, ct), cancellationToken).ConfigureAwait(false);
        await FaultAsync("tally", cancellationToken).ConfigureAwait(false);
        var stored = Stored(identity, input, report, tls.Policies.Count, sources: 0) with { Tls = total };
        return (await CommitAsync(stored, [], outcome, cancellationToken).ConfigureAwait(false)).Outcome;
    }

    /// <summary>Notes the selectors with the targets of the domain and the domain itself, then commits; the outcome, and whether this call committed it.</summary>
    private async Task<(ReportOutcome Outcome, bool Committed)> CommitAsync(StoredReport stored, IReadOnlyCollection<string> signers, ReportOutcome outcome, CancellationToken cancellationToken)
    {
        var monitoring = await storage.RunAsync(ct => targets.OfAsync(stored.PolicyDomain, ct), cancellationToken).ConfigureAwait(false);
        foreach (var target in monitoring)
        {
            await storage.RunAsync(ct => selectors.RecordAsync(target, signers, stored.End, ct), cancellationToken).ConfigureAwait(false);
        }

        await storage.RunAsync(ct => domains.NoteAsync(stored.PolicyDomain, stored.Begin, stored.End, stored.ReceivedAt, ct), cancellationToken).ConfigureAwait(false);
        outcome = outcome with { Targets = monitoring };

        await FaultAsync("commit", cancellationToken).ConfigureAwait(false);
        var earlier = await storage.RunAsync(ct => ledger.CommitAsync(stored with { CommittedAt = time.GetUtcNow() }, ct), cancellationToken).ConfigureAwait(false);
        ledgered.Add(stored.Key);
        if (earlier is not null)
        {
            // Committed before: by this input (an attempt that crashed after its commit, or another
            // worker with the same bytes: the same rows, keep them) or by another (a re-delivery).
            return (await EarlierAsync(outcome, earlier, new ReportRequest(stored.Input, stored.ReceivedAt, stored.Door), cancellationToken).ConfigureAwait(false), false);
        }

        await FaultAsync("committed", cancellationToken).ConfigureAwait(false);
        return (outcome with { Status = ReportOutcomeStatus.Stored }, true);
    }

    /// <summary>
    /// The outcome of a report the ledger already holds: stored when this input committed it (a
    /// retry after a crash), a duplicate when another did. The rows this input wrote for it count
    /// for nothing (the ledger names the other input) and are removed: one key range a day. Should
    /// that removal not happen (a crash right before it, and the input is never processed again:
    /// a retry writes the same rows and removes them), they stay uncounted until retention
    /// removes their day partitions.
    /// </summary>
    private async Task<ReportOutcome> EarlierAsync(ReportOutcome outcome, StoredReport earlier, ReportRequest input, CancellationToken cancellationToken)
    {
        if (earlier.Input == input.Input)
        {
            return outcome with
            {
                Status = ReportOutcomeStatus.Stored,
                Records = earlier.Records,
                DroppedRecords = earlier.DroppedRecords,
                Messages = earlier.Dmarc?.Messages,
                DmarcPass = earlier.Dmarc?.DmarcPass,
                SuccessfulSessions = earlier.Tls?.Successful,
                FailedSessions = earlier.Tls?.Failed,
            };
        }

        await storage.RunAsync(
            ct => earlier.Kind == ReceivedReportKindNames.Dmarc
                ? sources.DeleteAsync(earlier.PolicyDomain, earlier.Key, input.Input, earlier.Days, ct)
                : tlsResults.DeleteAsync(earlier.PolicyDomain, earlier.Key, input.Input, earlier.Days, ct),
            cancellationToken).ConfigureAwait(false);
        return Duplicate(outcome, earlier);
    }

    /// <summary>The outcome of a report found committed by another input before any row of it was written: a duplicate, with the targets of its domain as a commit would have named them.</summary>
    private async Task<ReportOutcome> DuplicateAsync(ReportOutcome outcome, StoredReport earlier, CancellationToken cancellationToken)
    {
        var monitoring = await storage.RunAsync(ct => targets.OfAsync(earlier.PolicyDomain, ct), cancellationToken).ConfigureAwait(false);
        return Duplicate(outcome with { Targets = monitoring }, earlier);
    }

    private static ReportOutcome Duplicate(ReportOutcome outcome, StoredReport earlier) =>
        outcome with
        {
            Status = ReportOutcomeStatus.Duplicate,
            Reason = string.Create(CultureInfo.InvariantCulture, $"the same report (organisation, id, domain and range) was stored from input {earlier.Input[..12]}, received {earlier.ReceivedAt:yyyy-MM-dd HH:mm:ss} UTC; it counts once"),
            DuplicateOf = earlier.Input,
        };

    /// <summary>
    /// Writes a tally as rows of at most <see cref="SourcesPerRow"/> addresses, at most
    /// <see cref="RowsPerCall"/> rows a day in each storage call under the storage deadline: a
    /// tally of 50,000 addresses is 17 rows a day, a few transactions of up to 4 MiB, which a slow
    /// store (the emulator) does not finish within one deadline, though each is short. Row
    /// <c>n</c> holds the <c>n</c>th part of the tally, so a retry writes the same rows.
    /// </summary>
    private async Task WriteTallyAsync(ReportIdentity identity, ReportRequest input, int index, IReadOnlyList<DayShare> days, Dictionary<string, DmarcCounts> tally, CancellationToken cancellationToken)
    {
        var parts = tally.Chunk(SourcesPerRow).ToList();
        for (var first = 0; first < parts.Count; first += RowsPerCall)
        {
            var call = parts.GetRange(first, Math.Min(RowsPerCall, parts.Count - first));
            var firstPart = first;
            await storage.RunAsync(ct => sources.WriteAsync(identity.PolicyDomain, identity.Key, input.Input, index, firstPart, days, call, ct), cancellationToken).ConfigureAwait(false);
        }

        await FaultAsync("tally", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Rows a day written by one storage call: about one transaction's 4 MiB at the fullest.</summary>
    private const int RowsPerCall = 5;

    /// <summary>Addresses in a row of a tally (<see cref="DmarcSourceStore.MaxSourcesPerRow"/>). Like <see cref="SourcesPerTally"/>, a constant in production; tests set a small one.</summary>
    internal int SourcesPerRow { get; set; } = DmarcSourceStore.MaxSourcesPerRow;

    private static StoredReport Stored(ReportIdentity identity, ReportRequest input, ReceivedReport report, long records, int sources) => new()
    {
        Key = identity.Key,
        Kind = identity.Kind.Name(),
        OrgName = identity.OrgName,
        ReportId = identity.ReportId,
        PolicyDomain = identity.PolicyDomain,
        Begin = identity.Begin,
        End = identity.End,
        Input = input.Input,
        ReceivedAt = input.ReceivedAt,
        Door = input.Door,
        Records = records,
        DroppedRecords = report.Aggregate?.DroppedRecords ?? 0,
        Warnings = report.Warnings.Count,
        Sources = sources,
    };

    /// <summary>The selectors of DKIM signatures that verified for the policy domain itself (d= equal to it): keys that sign its mail.</summary>
    private static void NoteSelectors(AggregateRecord record, string domain, HashSet<string> signers)
    {
        foreach (var signature in record.DkimResults)
        {
            if (signers.Count < MaxSelectorsPerReport
                && signature.Result == AggregateValues.Pass
                && signature.Selector is { Length: > 0 } selector
                && string.Equals(signature.Domain?.TrimEnd('.'), domain, StringComparison.OrdinalIgnoreCase))
            {
                signers.Add(selector.Trim().ToLowerInvariant());
            }
        }
    }


    private Task FaultAsync(string step, CancellationToken cancellationToken) => Fault?.Invoke(step, cancellationToken) ?? Task.CompletedTask;
}
