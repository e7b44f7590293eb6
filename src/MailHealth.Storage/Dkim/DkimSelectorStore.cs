using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;
using MailHealth.Memory;
using MailHealth.Storage.Configuration;
using MailHealth.Storage.Keys;
using MailHealth.Storage.Tables;

namespace MailHealth.Storage.Dkim;

/// <summary>
/// The DKIM selectors the monitor knows for each target besides its configured ones, and its last
/// discovery sweep: table <c>{prefix}dkimselectors</c>, partition = the escaped target id, RowKey
/// <c>s_{selector}</c> per selector (<c>Selector</c>, <c>FirstSeenAt</c>, <c>DiscoveredAt</c> when
/// the last sweep found it, <c>ReportedAt</c> when a receiver's report last named it) and
/// <c>sweep</c> (<c>Domain</c>, <c>At</c>, <c>Outcome</c>, <c>Questions</c>, <c>GuardCaught</c>). A run
/// reads the partition (one query, kept <see cref="KeptFor"/> by the process); a sweep or a report
/// writes it in one transaction, by ETag: a sweep and a report that cross are read again and retried.
/// </summary>
public sealed class DkimSelectorStore(StorageAccount account, TimeProvider time)
{
    /// <summary>
    /// How long a partition read serves this process's runs of the target. A target's selectors
    /// change when it is swept (daily) or a report names one, and a run every cycle asking again
    /// would be a storage request per run for nothing: this process's own writes replace its copy
    /// at once, another process's are seen within this.
    /// </summary>
    public static readonly TimeSpan KeptFor = TimeSpan.FromHours(1);

    /// <summary>Targets whose read is kept at once; past it, the copies start afresh.</summary>
    private const int MaxKept = 20_000;

    private const string SweepRow = "sweep";
    private const string SelectorPrefix = "s_";
    private const int Attempts = 5;
    private readonly TableClient table = account.Table(StorageTables.DkimSelectors);
    private readonly ConcurrentDictionary<string, (TargetMemory Memory, DateTimeOffset ReadAt)> kept = new(StringComparer.Ordinal);

    // Counts this process's writes: a read that a write overtook is not kept.
    private long writes;

    /// <summary>What a run of the target works from: one partition read, or this process's copy of one younger than <see cref="KeptFor"/>.</summary>
    /// <param name="fresh">Read storage whatever this process holds (the daily sweep deciding whom to sweep).</param>
    public async Task<TargetMemory> GetAsync(string targetId, bool fresh = false, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        if (!fresh && kept.TryGetValue(targetId, out var copy) && now - copy.ReadAt < KeptFor && now >= copy.ReadAt)
        {
            return copy.Memory;
        }

        var before = Interlocked.Read(ref writes);
        var memory = Memory(await ReadAsync(targetId, cancellationToken));
        if (Interlocked.Read(ref writes) == before)
        {
            if (kept.Count >= MaxKept)
            {
                kept.Clear();
            }

            kept[targetId] = (memory, now);
        }

        return memory;
    }

    /// <summary>
    /// Records a sweep of the target's domain: the selectors it found are discovered now; those a
    /// sweep found before and this one did not lose that mark (and go, unless a receiver reported
    /// them); those whose question got no answer (<paramref name="unanswered"/>) stay as they were.
    /// A sweep of another domain than the last (the target's domain changed) starts afresh:
    /// nothing of the old domain is kept. A sweep that got no answer at all changes nothing (it is
    /// not remembered: the next run sweeps again).
    /// </summary>
    public async Task SaveSweepAsync(
        string targetId, DkimSweepRecord sweep, IReadOnlyCollection<string> found, IReadOnlyCollection<string>? unanswered = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        ArgumentNullException.ThrowIfNull(found);
        unanswered ??= [];
        if (sweep.Outcome == DkimSweepOutcome.Unanswered)
        {
            return;
        }

        await RetryAsync(targetId, rows =>
        {
            var actions = new List<TableTransactionAction>();
            var sameDomain = rows.Sweep?.GetString("Domain") == sweep.Domain;
            foreach (var (selector, row) in rows.Selectors.Where(r => !found.Contains(r.Key) && !(sameDomain && unanswered.Contains(r.Key))))
            {
                if (!sameDomain || row.GetDateTimeOffset("ReportedAt") is null)
                {
                    actions.Add(new TableTransactionAction(TableTransactionActionType.Delete, row, row.ETag));
                }
                else if (row.GetDateTimeOffset("DiscoveredAt") is not null)
                {
                    // Reported, but no longer found by guessing: only the report keeps it.
                    var reportedOnly = SelectorEntity(targetId, selector, row.GetDateTimeOffset("FirstSeenAt"), null, row.GetDateTimeOffset("ReportedAt"));
                    actions.Add(new TableTransactionAction(TableTransactionActionType.UpdateReplace, reportedOnly, row.ETag));
                }
            }

            foreach (var selector in found)
            {
                var row = rows.Selectors.GetValueOrDefault(selector);
                var earlier = sameDomain ? row : null;
                var entity = SelectorEntity(targetId, selector, earlier?.GetDateTimeOffset("FirstSeenAt") ?? sweep.At, sweep.At, earlier?.GetDateTimeOffset("ReportedAt"));
                actions.Add(row is null
                    ? new TableTransactionAction(TableTransactionActionType.Add, entity)
                    : new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, row.ETag));
            }

            var sweepEntity = new TableEntity(Partition(targetId), SweepRow)
            {
                ["Domain"] = sweep.Domain,
                ["At"] = sweep.At,
                ["Outcome"] = sweep.Outcome.ToString(),
                ["Questions"] = sweep.Questions,
                ["GuardCaught"] = sweep.GuardCaught,
            };
            actions.Add(rows.Sweep is null
                ? new TableTransactionAction(TableTransactionActionType.Add, sweepEntity)
                : new TableTransactionAction(TableTransactionActionType.UpdateReplace, sweepEntity, rows.Sweep.ETag));
            return actions;
        }, cancellationToken);
    }

    /// <summary>
    /// Records that receivers' reports (DMARC aggregate reports, report ingestion) named these
    /// selectors at <paramref name="at"/>: each is then checked in earnest for the next 30 days
    /// (<see cref="RememberedSelector.ReportedLifetime"/>), found by guessing or not.
    /// </summary>
    public async Task RecordReportedAsync(string targetId, IReadOnlyCollection<string> selectors, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(selectors);
        var named = selectors.Select(s => s.Trim().TrimEnd('.').ToLowerInvariant()).Where(s => s.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (named.Count == 0)
        {
            return;
        }

        await RetryAsync(targetId, rows => [.. named.Select(selector =>
        {
            var row = rows.Selectors.GetValueOrDefault(selector);
            var reported = row?.GetDateTimeOffset("ReportedAt") is { } earlier && earlier > at ? earlier : at;
            var entity = SelectorEntity(targetId, selector, row?.GetDateTimeOffset("FirstSeenAt") ?? at, row?.GetDateTimeOffset("DiscoveredAt"), reported);
            return row is null
                ? new TableTransactionAction(TableTransactionActionType.Add, entity)
                : new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, row.ETag);
        })], cancellationToken);
    }

    /// <summary>Forgets everything of the target (it was deleted).</summary>
    public async Task DeleteOfTargetAsync(string targetId, CancellationToken cancellationToken = default)
    {
        try
        {
            await TableOperations.DeleteWhereAsync(table, TableClient.CreateQueryFilter($"PartitionKey eq {Partition(targetId)}"), cancellationToken);
        }
        finally
        {
            Forget(targetId);
        }
    }

    private async Task RetryAsync(string targetId, Func<Rows, IReadOnlyList<TableTransactionAction>> write, CancellationToken cancellationToken)
    {
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                var actions = write(await ReadAsync(targetId, cancellationToken));
                try
                {
                    await TableOperations.SubmitAsync(table, actions, cancellationToken);
                    return;
                }
                catch (StorageConcurrencyException) when (attempt < Attempts)
                {
                    // A sweep and a report crossed: read again.
                }
            }
        }
        finally
        {
            // After the write, failed ones too (part of it may have landed): the copy goes, and a read under way is not kept.
            Forget(targetId);
        }
    }

    private void Forget(string targetId)
    {
        Interlocked.Increment(ref writes);
        kept.TryRemove(targetId, out _);
    }

    private async Task<Rows> ReadAsync(string targetId, CancellationToken cancellationToken)
    {
        var entities = await TableOperations.ListAsync(table, TableClient.CreateQueryFilter($"PartitionKey eq {Partition(targetId)}"), cancellationToken);
        return new Rows(
            entities.FirstOrDefault(e => e.RowKey == SweepRow),
            entities.Where(e => e.RowKey.StartsWith(SelectorPrefix, StringComparison.Ordinal)).ToDictionary(e => e.GetString("Selector"), StringComparer.Ordinal));
    }

    private static TargetMemory Memory(Rows rows) => new()
    {
        DkimSelectors = [.. rows.Selectors.Values
            .Select(e => new RememberedSelector(e.GetString("Selector"), e.GetDateTimeOffset("DiscoveredAt"), e.GetDateTimeOffset("ReportedAt")))
            .OrderBy(s => s.Selector, StringComparer.Ordinal)],
        LastDkimSweep = rows.Sweep is { } sweep && Enum.TryParse<DkimSweepOutcome>(sweep.GetString("Outcome"), out var outcome)
            ? new DkimSweepRecord(sweep.GetString("Domain"), sweep.GetDateTimeOffset("At") ?? default, outcome, sweep.GetInt32("Questions") ?? 0, sweep.GetBoolean("GuardCaught") ?? false)
            : null,
    };

    private static TableEntity SelectorEntity(string targetId, string selector, DateTimeOffset? firstSeen, DateTimeOffset? discovered, DateTimeOffset? reported) =>
        new TableEntity(Partition(targetId), KeyText.Checked(SelectorPrefix + KeyText.Escape(selector), "selector"))
        {
            ["Selector"] = selector,
            ["FirstSeenAt"] = firstSeen,
            ["DiscoveredAt"] = discovered,
            ["ReportedAt"] = reported,
        }.WithoutNulls();

    private static string Partition(string targetId) => KeyText.Checked(KeyText.Escape(targetId), "target id");

    /// <summary>A target's partition as read: its sweep row and its selector rows by selector.</summary>
    private sealed record Rows(TableEntity? Sweep, IReadOnlyDictionary<string, TableEntity> Selectors);
}
