using System.Collections.Concurrent;
using Azure.Data.Tables;
using MailHealth.Storage.Configuration;
using MailHealth.Storage.Tables;

namespace MailHealth.Storage.ReceiverReports;

/// <summary>
/// The policy domains reports arrived for, table <c>{prefix}reportdomains</c>, partition
/// <c>domain</c>, one row per domain (escaped): whether a target monitors it is decided when it is
/// read, against the targets of that moment, so a domain's reports that arrived before its target
/// was added are that target's as soon as it is. Each row only ever widens (earliest begin, latest
/// end and receipt), by ETag, so a report noted twice changes nothing. A report inside the range
/// this process last read or wrote for its domain, received within <see cref="ReceiptPrecision"/>
/// of that row's latest receipt, is not noted at all: most reports of a day fall in the range of the
/// first, and each would otherwise cost a read and a write. What is remembered is never wider than
/// the row (rows only widen; retention forgets a row only once its last report ended before the
/// cut-off, and reports that ended so are refused), and is forgotten after <see cref="ReceiptPrecision"/>.
/// </summary>
public sealed class ReportDomainIndex(StorageAccount account)
{
    private const string Partition = "domain";
    private const string AwaitedPartition = "awaited";
    private const int Attempts = 5;
    private readonly TableClient table = account.Table(StorageTables.ReportDomains);
    private readonly ConcurrentDictionary<string, ReportDomain> noted = new(StringComparer.Ordinal);

    /// <summary>How far a row's latest receipt may lag behind the reports this process noted: it says when reports last came, to the hour.</summary>
    public static readonly TimeSpan ReceiptPrecision = TimeSpan.FromHours(1);

    /// <summary>Domains remembered at most: past it the memory starts again empty.</summary>
    private const int MaxRemembered = 100_000;

    /// <summary>Widens <paramref name="domain"/>'s row to a report of <paramref name="begin"/>-<paramref name="end"/> received at <paramref name="receivedAt"/>.</summary>
    public async Task NoteAsync(string domain, DateTimeOffset begin, DateTimeOffset end, DateTimeOffset receivedAt, CancellationToken cancellationToken = default)
    {
        if (noted.TryGetValue(domain, out var known)
            && begin >= known.FirstBegin && end <= known.LastEnd
            && receivedAt >= known.LastReceivedAt && receivedAt - known.LastReceivedAt < ReceiptPrecision)
        {
            return;
        }

        var row = ReportKeys.Domain(domain);
        for (var attempt = 1; ; attempt++)
        {
            var existing = await TableOperations.GetAsync(table, Partition, row, cancellationToken);
            var before = existing is null ? null : Read(existing);
            var after = before is null
                ? new ReportDomain(domain, begin, end, receivedAt)
                : new ReportDomain(domain, Min(before.FirstBegin, begin), Max(before.LastEnd, end), Max(before.LastReceivedAt, receivedAt));
            if (after == before)
            {
                Remember(after);
                return;
            }

            var entity = new TableEntity(Partition, row)
            {
                ["Domain"] = domain,
                ["FirstBegin"] = after.FirstBegin,
                ["LastEnd"] = after.LastEnd,
                ["LastReceivedAt"] = after.LastReceivedAt,
            };
            var action = existing is null
                ? new TableTransactionAction(TableTransactionActionType.Add, entity)
                : new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, existing.ETag);
            try
            {
                await TableOperations.SubmitAsync(table, [action], cancellationToken);
                Remember(after);
                return;
            }
            catch (StorageConcurrencyException) when (attempt < Attempts)
            {
                // Another report of the domain was noted in between: read it again.
            }
        }
    }

    /// <summary>
    /// Removes <paramref name="domain"/>'s row when its reports all ended by <paramref name="cutOff"/>
    /// (retention removed them), by ETag: a report noted in between keeps the row. True when removed.
    /// </summary>
    public async Task<bool> ForgetAsync(string domain, DateTimeOffset cutOff, CancellationToken cancellationToken = default)
    {
        noted.TryRemove(domain, out _);
        var row = ReportKeys.Domain(domain);
        var existing = await TableOperations.GetAsync(table, Partition, row, cancellationToken);
        if (existing is null || Read(existing).LastEnd > cutOff)
        {
            return false;
        }

        try
        {
            await TableOperations.SubmitAsync(table, [new TableTransactionAction(TableTransactionActionType.Delete, existing, existing.ETag)], cancellationToken);
            return true;
        }
        catch (StorageConcurrencyException)
        {
            return false;
        }
    }

    /// <summary>
    /// The day since which <paramref name="domain"/>'s rua has named a mailbox this monitor reads,
    /// as first recorded, in partition <c>awaited</c> of the same table: kept in storage so that a
    /// restart does not postpone DMARC_REPORTS_MISSING. The count starts again at
    /// <paramref name="today"/> when nothing is recorded, when the recorded rua was another, or when
    /// no run saw the rua for more than <see cref="MaxWatchGap"/> (the target was deleted and added
    /// again, or its rua stopped naming the mailbox and came back): days nobody watched are not days
    /// the reports failed to come. Each call records <paramref name="today"/> as seen, so callers ask
    /// once a day.
    /// </summary>
    public async Task<DateOnly> AwaitedSinceAsync(string domain, string rua, DateOnly today, CancellationToken cancellationToken = default)
    {
        var row = ReportKeys.Domain(domain);
        var existing = await TableOperations.GetAsync(table, AwaitedPartition, row, cancellationToken);
        var since = today;
        if (existing?.GetString("Rua") == rua && existing.GetDateTimeOffset("Since") is { } recorded
            && ReportKeys.DayOf(existing.GetDateTimeOffset("Seen") ?? recorded) >= today.AddDays(-MaxWatchGap.Days))
        {
            since = ReportKeys.DayOf(recorded);
            if (existing.GetDateTimeOffset("Seen") is { } seen && ReportKeys.DayOf(seen) >= today)
            {
                return since;
            }
        }

        var entity = new TableEntity(AwaitedPartition, row)
        {
            ["Domain"] = domain,
            ["Rua"] = rua,
            ["Since"] = ReportKeys.Midnight(since),
            ["Seen"] = ReportKeys.Midnight(today),
        };
        await TableOperations.SubmitAsync(table, [new TableTransactionAction(TableTransactionActionType.UpsertReplace, entity)], cancellationToken);
        return since;
    }

    /// <summary>
    /// Days a domain's awaited count may go unseen by any run and still go on: a monitor down for a
    /// day keeps its count; a target deleted for longer starts again when it is back.
    /// </summary>
    public static readonly TimeSpan MaxWatchGap = TimeSpan.FromDays(2);


    /// <summary>
    /// Removes the awaited rows no run has seen since before <paramref name="cutOff"/> (retention):
    /// their count would start again anyway (<see cref="MaxWatchGap"/>), and a deleted target's row
    /// is otherwise never removed. Rows of the release before <c>Seen</c> are judged by <c>Since</c>.
    /// Returns how many were removed.
    /// </summary>
    public async Task<int> ForgetAwaitedAsync(DateTimeOffset cutOff, CancellationToken cancellationToken = default)
    {
        var rows = await TableOperations.ListAsync(table, TableClient.CreateQueryFilter($"PartitionKey eq {AwaitedPartition}"), cancellationToken);
        var stale = rows.Where(r => (r.GetDateTimeOffset("Seen") ?? r.GetDateTimeOffset("Since") ?? default) < cutOff).ToList();
        try
        {
            await TableOperations.SubmitAsync(table, [.. stale.Select(r => new TableTransactionAction(TableTransactionActionType.Delete, r, r.ETag))], cancellationToken);
            return stale.Count;
        }
        catch (Exception e) when (e is StorageConcurrencyException or TableTransactionFailedException { Status: 404 })
        {
            // A run saw one of them meanwhile (its ETag changed), or another purge removed it: the next purge takes what is still stale.
            return 0;
        }
    }

    /// <summary>Every domain reports arrived for, in key order.</summary>
    public async Task<IReadOnlyList<ReportDomain>> ListAsync(CancellationToken cancellationToken = default)
    {
        var rows = await TableOperations.ListAsync(table, TableClient.CreateQueryFilter($"PartitionKey eq {Partition}"), cancellationToken);
        return [.. rows.Select(Read)];
    }

    private void Remember(ReportDomain row)
    {
        if (noted.Count >= MaxRemembered)
        {
            noted.Clear();
        }

        noted[row.Domain] = row;
    }

    private static ReportDomain Read(TableEntity entity) => new(
        entity.GetString("Domain"),
        entity.GetDateTimeOffset("FirstBegin") ?? default,
        entity.GetDateTimeOffset("LastEnd") ?? default,
        entity.GetDateTimeOffset("LastReceivedAt") ?? default);

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
