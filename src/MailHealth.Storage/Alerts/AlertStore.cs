using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using MailHealth.Alerts;
using MailHealth.Checks;
using MailHealth.Reports;
using MailHealth.Runs;
using MailHealth.Storage.Configuration;
using MailHealth.Storage.Keys;
using MailHealth.Storage.Paging;
using MailHealth.Storage.Tables;

namespace MailHealth.Storage.Alerts;

/// <summary>
/// Alerts and their transitions, table <c>{prefix}alerts</c>, PartitionKey = escaped target id:
/// states at <c>a_{alert id}</c>, transitions at <c>t_{alert id}_{reverse time}_{kind}</c> (newest
/// first per alert). A save writes states and transitions of one target in one transaction,
/// conditional on the ETags read: a race ends in <see cref="StorageConcurrencyException"/> with
/// nothing written. Afterwards the index table <c>{prefix}alertindex</c> (PartitionKey = status:
/// <c>open</c>, <c>pending</c>, <c>resolved</c>; RowKey = alert id) is brought in line, so open
/// alerts across all targets are one partition read. The index is idempotent: a save that died
/// between the two steps is repaired by the next save of that alert.
/// </summary>
public sealed class AlertStore(StorageAccount account)
{
    private const string StatePrefix = "a_";
    private const string TransitionPrefix = "t_";

    // Between the a_ and t_ ranges, so that the states and it are one range (GetStateAsync): the
    // slot of the newest run the target's alerts include.
    private const string EvaluatedRow = "e_evaluated";
    private readonly TableClient table = account.Table(StorageTables.Alerts);
    private readonly TableClient index = account.Table(StorageTables.AlertIndex);

    /// <summary>Every alert state of a target (one key range of its partition), with ETags.</summary>
    public async Task<IReadOnlyList<StoredAlert>> GetOfTargetAsync(string targetId, CancellationToken cancellationToken = default)
    {
        var filter = TableOperations.RangeFilter(Partition(targetId), StatePrefix, TableOperations.PrefixEnd(StatePrefix));
        var rows = await TableOperations.ListAsync(table, filter, cancellationToken);
        return [.. rows.Select(FromEntity)];
    }

    public async Task<StoredAlert?> GetAsync(string targetId, string alertId, CancellationToken cancellationToken = default)
    {
        var entity = await TableOperations.GetAsync(table, Partition(targetId), StateKey(alertId), cancellationToken);
        return entity is null ? null : FromEntity(entity);
    }

    /// <summary>Finds an alert by id alone (the API's acknowledge route): looks it up in the index.</summary>
    public async Task<StoredAlert?> FindAsync(string alertId, CancellationToken cancellationToken = default)
    {
        foreach (var status in Enum.GetValues<AlertStatus>())
        {
            var entry = await TableOperations.GetAsync(index, IndexPartition(status), StateKey(alertId), cancellationToken, ["TargetId"]);
            if (entry?.GetString("TargetId") is { } targetId)
            {
                return await GetAsync(targetId, alertId, cancellationToken);
            }
        }

        return null;
    }

    /// <summary>
    /// Writes new alert states and transitions of one target atomically (one transaction when at
    /// most 100 operations), each state conditional on its <see cref="AlertWrite.Previous"/> ETag.
    /// Transitions are keyed by alert, time and kind, so a retried save rewrites them.
    /// Throws <see cref="StorageConcurrencyException"/> when another writer got there first: read again and retry.
    /// </summary>
    public async Task SaveAsync(string targetId, IReadOnlyList<AlertWrite> writes, IReadOnlyList<AlertTransition> transitions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writes);
        ArgumentNullException.ThrowIfNull(transitions);
        var units = StateUnits(targetId, Partition(targetId), writes, transitions);
        if (units.Count == 0)
        {
            return;
        }

        await TableOperations.SubmitAsync(table, units, cancellationToken);
        await UpdateIndexAsync(writes, cancellationToken);
    }

    /// <summary>
    /// Each alert's state write (conditional on the ETag read) with its transitions, as one unit that
    /// no transaction boundary splits: when a save of more than 100 operations is cut between its
    /// transactions, every alert written has its transitions written too, and its
    /// <see cref="Alert.LastRunId"/> tells the next evaluation of the run to leave it as it is.
    /// </summary>
    private static List<IReadOnlyList<TableTransactionAction>> StateUnits(string targetId, string partition, IReadOnlyList<AlertWrite> writes, IReadOnlyList<AlertTransition> transitions)
    {
        var byAlert = transitions.ToLookup(t => t.AlertId, StringComparer.Ordinal);
        var units = new List<IReadOnlyList<TableTransactionAction>>();
        foreach (var write in writes)
        {
            if (write.Alert.Key.TargetId != targetId)
            {
                throw new ArgumentException($"alert {write.Alert.Id} is not of target {targetId}", nameof(writes));
            }

            var entity = ToEntity(partition, StateKey(write.Alert.Id), write.Alert);
            units.Add([
                write.Previous is null
                    ? new TableTransactionAction(TableTransactionActionType.Add, entity)
                    : new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, new ETag(write.Previous.ETag)),
                .. byAlert[write.Alert.Id].Select(t => TransitionAction(partition, t)),
            ]);
        }

        // A transition whose alert state is not written in this save (none the state machine makes).
        var written = writes.Select(w => w.Alert.Id).ToHashSet(StringComparer.Ordinal);
        units.AddRange(transitions.Where(t => !written.Contains(t.AlertId)).Select(t => (IReadOnlyList<TableTransactionAction>)[TransitionAction(partition, t)]));
        return units;
    }

    private static TableTransactionAction TransitionAction(string partition, AlertTransition transition) =>
        new(TableTransactionActionType.UpsertReplace, TransitionEntity(partition, transition));

    /// <summary>
    /// Every alert state of a target and its evaluation marker (which run the states already
    /// include), in one request: the states' key range and the marker are next to each other,
    /// [a_, e_evaluated], below the transitions' t_ rows, so a run reads them as one range
    /// instead of a query and a point read.
    /// </summary>
    public async Task<TargetAlertState> GetStateAsync(string targetId, CancellationToken cancellationToken = default)
    {
        var filter = TableOperations.RangeFilter(Partition(targetId), StatePrefix, TableOperations.PrefixEnd(EvaluatedRow));
        var rows = await TableOperations.ListAsync(table, filter, cancellationToken);
        var marker = rows.Find(r => r.RowKey == EvaluatedRow);
        var alerts = rows.Where(r => r.RowKey.StartsWith(StatePrefix, StringComparison.Ordinal)).Select(FromEntity).ToList();
        return new TargetAlertState(alerts, marker?.GetDateTimeOffset("Slot"), marker?.ETag.ToString());
    }

    /// <summary>
    /// Writes the outcome of evaluating run <paramref name="run"/> on <paramref name="read"/>: new
    /// states (conditional on their ETags), dropped ones deleted (conditional too), the transitions,
    /// and the evaluation marker, last, conditional on the marker read. All in one transaction when
    /// at most 100 operations (always, but for a target with more changing alerts than that);
    /// otherwise in several, none splitting an alert from its transitions (see <see cref="Alert.LastRunId"/>).
    /// <see cref="StorageConcurrencyException"/> when anything changed since it was read: read again.
    /// </summary>
    public async Task SaveAsync(
        RunId run,
        TargetAlertState read,
        IReadOnlyList<AlertWrite> writes,
        IReadOnlyList<StoredAlert> deletes,
        IReadOnlyList<AlertTransition> transitions,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(writes);
        ArgumentNullException.ThrowIfNull(deletes);
        ArgumentNullException.ThrowIfNull(transitions);
        var partition = Partition(run.TargetId);
        var units = StateUnits(run.TargetId, partition, writes, transitions);
        units.AddRange(deletes.Select(d => (IReadOnlyList<TableTransactionAction>)[new TableTransactionAction(
            TableTransactionActionType.Delete, new TableEntity(partition, StateKey(d.Alert.Id)), new ETag(d.ETag))]));
        var marker = new TableEntity(partition, EvaluatedRow) { ["Slot"] = run.Slot, ["RunId"] = run.ToString() };
        units.Add([read.MarkerETag is null
            ? new TableTransactionAction(TableTransactionActionType.Add, marker)
            : new TableTransactionAction(TableTransactionActionType.UpdateReplace, marker, new ETag(read.MarkerETag))]);

        await TableOperations.SubmitAsync(table, units, cancellationToken);
        await UpdateIndexAsync(writes, cancellationToken);
        foreach (var deleted in deletes)
        {
            await index.DeleteEntityAsync(IndexPartition(deleted.Alert.Status), StateKey(deleted.Alert.Id), ETag.All, cancellationToken);
        }
    }

    /// <summary>The transitions a run caused (to queue its notifications again after a repeated message).</summary>
    public async Task<IReadOnlyList<AlertTransition>> GetTransitionsOfRunAsync(RunId run, CancellationToken cancellationToken = default)
    {
        var partition = Partition(run.TargetId);
        var end = TableOperations.PrefixEnd(TransitionPrefix);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {TransitionPrefix} and RowKey lt {end} and RunId eq {run.ToString()}");
        var rows = await TableOperations.ListAsync(table, filter, cancellationToken);
        return [.. rows.Select(ReadTransition)];
    }

    /// <summary>Alerts of one status across all targets (the index partition), in alert id order.</summary>
    public async Task<StoredPage<Alert>> ListByStatusAsync(AlertStatus status, int pageSize = 100, string? continuationToken = null, CancellationToken cancellationToken = default)
    {
        var page = await TableOperations.PageAsync(index, TableClient.CreateQueryFilter($"PartitionKey eq {IndexPartition(status)}"), pageSize, continuationToken, null, cancellationToken);
        return new StoredPage<Alert>([.. page.Items.Select(e => ReadAlert(e))], page.ContinuationToken);
    }

    /// <summary>Alerts of any of <paramref name="statuses"/> across all targets (their index partitions), in partition then alert id order.</summary>
    public async Task<StoredPage<Alert>> ListByStatusesAsync(IReadOnlyList<AlertStatus> statuses, int pageSize = 100, string? continuationToken = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        if (statuses.Count == 1)
        {
            return await ListByStatusAsync(statuses[0], pageSize, continuationToken, cancellationToken);
        }

        var filter = string.Join(" or ", statuses.Distinct().Select(s => TableClient.CreateQueryFilter($"PartitionKey eq {IndexPartition(s)}")));
        var page = await TableOperations.PageAsync(index, filter, pageSize, continuationToken, null, cancellationToken);
        return new StoredPage<Alert>([.. page.Items.Select(e => ReadAlert(e))], page.ContinuationToken);
    }

    /// <summary>Removes every alert, transition and the evaluation marker of a target, and its index entries (the target was deleted). Returns the alerts removed.</summary>
    public async Task<int> DeleteOfTargetAsync(string targetId, CancellationToken cancellationToken = default)
    {
        var alerts = await GetOfTargetAsync(targetId, cancellationToken);
        foreach (var stored in alerts)
        {
            await index.DeleteEntityAsync(IndexPartition(stored.Alert.Status), StateKey(stored.Alert.Id), ETag.All, cancellationToken);
        }

        await TableOperations.DeleteWhereAsync(table, TableClient.CreateQueryFilter($"PartitionKey eq {Partition(targetId)}"), cancellationToken);
        return alerts.Count;
    }

    /// <summary>Alerts of one target, optionally of one status, in alert id order.</summary>
    public async Task<StoredPage<Alert>> ListOfTargetAsync(string targetId, AlertStatus? status = null, int pageSize = 100, string? continuationToken = null, CancellationToken cancellationToken = default)
    {
        var partition = Partition(targetId);
        var end = TableOperations.PrefixEnd(StatePrefix);
        var filter = status is { } s
            ? TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {StatePrefix} and RowKey lt {end} and Status eq {s.ToString()}")
            : TableOperations.RangeFilter(partition, StatePrefix, end);
        var page = await TableOperations.PageAsync(table, filter, pageSize, continuationToken, null, cancellationToken);
        return new StoredPage<Alert>([.. page.Items.Select(e => ReadAlert(e))], page.ContinuationToken);
    }

    /// <summary>Alerts of one target in any of <paramref name="statuses"/>, in alert id order.</summary>
    public async Task<StoredPage<Alert>> ListOfTargetAsync(string targetId, IReadOnlyList<AlertStatus> statuses, int pageSize = 100, string? continuationToken = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        var partition = Partition(targetId);
        var end = TableOperations.PrefixEnd(StatePrefix);
        var anyStatus = string.Join(" or ", statuses.Distinct().Select(s => TableClient.CreateQueryFilter($"Status eq {s.ToString()}")));
        var filter = $"{TableOperations.RangeFilter(partition, StatePrefix, end)} and ({anyStatus})";
        var page = await TableOperations.PageAsync(table, filter, pageSize, continuationToken, null, cancellationToken);
        return new StoredPage<Alert>([.. page.Items.Select(e => ReadAlert(e))], page.ContinuationToken);
    }

    /// <summary>Transitions of a target, or of one of its alerts, newest first per alert.</summary>
    public async Task<StoredPage<AlertTransition>> ListTransitionsAsync(string targetId, string? alertId = null, int pageSize = 100, string? continuationToken = null, CancellationToken cancellationToken = default)
    {
        var prefix = alertId is null ? TransitionPrefix : $"{TransitionPrefix}{KeyText.Escape(alertId)}_";
        var filter = TableOperations.RangeFilter(Partition(targetId), prefix, TableOperations.PrefixEnd(prefix));
        var page = await TableOperations.PageAsync(table, filter, pageSize, continuationToken, null, cancellationToken);
        return new StoredPage<AlertTransition>([.. page.Items.Select(ReadTransition)], page.ContinuationToken);
    }

    private async Task UpdateIndexAsync(IReadOnlyList<AlertWrite> writes, CancellationToken cancellationToken)
    {
        // Group by index partition: one transaction per status touched, not one request per alert.
        var upserts = writes
            .GroupBy(w => IndexPartition(w.Alert.Status))
            .Select(g => (Partition: g.Key, Actions: g.Select(w => new TableTransactionAction(
                TableTransactionActionType.UpsertReplace, ToIndexEntity(g.Key, w.Alert))).ToList()));
        foreach (var (_, actions) in upserts)
        {
            await TableOperations.SubmitAsync(index, actions, cancellationToken);
        }

        var moved = writes.Where(w => w.Previous is { } p && p.Alert.Status != w.Alert.Status);
        foreach (var group in moved.GroupBy(w => IndexPartition(w.Previous!.Alert.Status)))
        {
            foreach (var write in group)
            {
                // Delete treats a missing entity as done, so a repeated save stays harmless.
                await index.DeleteEntityAsync(group.Key, StateKey(write.Alert.Id), ETag.All, cancellationToken);
            }
        }
    }

    private static string Partition(string targetId) => KeyText.Checked(KeyText.Escape(targetId), "target id");

    private static string StateKey(string alertId) => KeyText.Checked(StatePrefix + KeyText.Escape(alertId), "alert id");

    private static string IndexPartition(AlertStatus status) => status.ToString().ToLowerInvariant();

    private static TableEntity ToIndexEntity(string partition, Alert alert)
    {
        var entity = ToEntity(partition, StateKey(alert.Id), alert);
        entity["TargetId"] = alert.Key.TargetId;
        return entity;
    }

    private static TableEntity ToEntity(string partition, string rowKey, Alert alert) => new TableEntity(partition, rowKey)
    {
        ["AlertId"] = alert.Id,
        ["TargetId"] = alert.Key.TargetId,
        ["Code"] = alert.Key.Code,
        ["Subject"] = alert.Key.Subject,
        ["CheckId"] = alert.CheckId,
        ["Severity"] = alert.Severity.ToString(),
        ["Message"] = alert.Message,
        ["Status"] = alert.Status.ToString(),
        ["ConsecutiveSeen"] = alert.ConsecutiveSeen,
        ["ConsecutiveClean"] = alert.ConsecutiveClean,
        ["FirstSeenAt"] = alert.FirstSeenAt,
        ["LastSeenAt"] = alert.LastSeenAt,
        ["OpenedAt"] = alert.OpenedAt,
        ["OpenedRunId"] = alert.OpenedRunId,
        ["ResolvedAt"] = alert.ResolvedAt,
        ["ResolvedRunId"] = alert.ResolvedRunId,
        ["AcknowledgedAt"] = alert.AcknowledgedAt,
        ["AcknowledgedBy"] = alert.AcknowledgedBy,
        ["LastRunId"] = alert.LastRunId,
    }.WithoutNulls();

    private static StoredAlert FromEntity(TableEntity entity) => new(ReadAlert(entity), entity.ETag.ToString());

    private static Alert ReadAlert(TableEntity e) => new()
    {
        Key = new AlertKey(e.GetString("TargetId"), e.GetString("Code"), e.GetString("Subject")),
        CheckId = e.GetString("CheckId"),
        Severity = Enum.Parse<Severity>(e.GetString("Severity")),
        Message = e.GetString("Message"),
        Status = Enum.Parse<AlertStatus>(e.GetString("Status")),
        ConsecutiveSeen = e.GetInt32("ConsecutiveSeen") ?? 0,
        ConsecutiveClean = e.GetInt32("ConsecutiveClean") ?? 0,
        FirstSeenAt = e.GetDateTimeOffset("FirstSeenAt") ?? default,
        LastSeenAt = e.GetDateTimeOffset("LastSeenAt") ?? default,
        OpenedAt = e.GetDateTimeOffset("OpenedAt"),
        OpenedRunId = e.GetString("OpenedRunId"),
        ResolvedAt = e.GetDateTimeOffset("ResolvedAt"),
        ResolvedRunId = e.GetString("ResolvedRunId"),
        AcknowledgedAt = e.GetDateTimeOffset("AcknowledgedAt"),
        AcknowledgedBy = e.GetString("AcknowledgedBy"),
        LastRunId = e.GetString("LastRunId"),
    };

    private static TableEntity TransitionEntity(string partition, AlertTransition t) =>
        new TableEntity(partition, KeyText.Checked($"{TransitionPrefix}{KeyText.Escape(t.AlertId)}_{ReverseTime.Key(t.At)}_{t.Kind}", "transition"))
        {
            ["AlertId"] = t.AlertId,
            ["TargetId"] = t.Key.TargetId,
            ["Code"] = t.Key.Code,
            ["Subject"] = t.Key.Subject,
            ["Kind"] = t.Kind.ToString(),
            ["At"] = t.At,
            ["RunId"] = t.RunId,
            ["Severity"] = t.Severity.ToString(),
            ["Message"] = t.Message,
        }.WithoutNulls();

    private static AlertTransition ReadTransition(TableEntity e) => new(
        e.GetString("AlertId"),
        new AlertKey(e.GetString("TargetId"), e.GetString("Code"), e.GetString("Subject")),
        Enum.Parse<AlertTransitionKind>(e.GetString("Kind")),
        e.GetDateTimeOffset("At") ?? default,
        e.GetString("RunId"),
        Enum.Parse<Severity>(e.GetString("Severity")),
        e.GetString("Message"));
}
