using System.Globalization;
using Azure.Data.Tables;
using MailHealth.Storage.Configuration;
using MailHealth.Storage.Keys;
using MailHealth.Storage.Paging;
using MailHealth.Storage.Tables;

namespace MailHealth.Storage.ReceiverReports;

/// <summary>
/// Every report input and what became of it, table <c>{prefix}reportinputs</c> (docs/storage.md,
/// "Receivers' reports"). The record of a processed input is its outcomes in the time index:
/// partition <c>m{yyyyMM}</c> of the time it was received, row <c>{rev(received)}|{input}|{nnnnn}</c>
/// per report found in it (<see cref="ReportOutcome"/>), newest first for listing what arrived,
/// each row carrying the input's door, size, processing time and how many outcomes it has
/// (<c>Reports</c>), so one write records it and, given when it was received (its blob says), one
/// key range reads it back. The input's own partition (its id) holds row <c>input</c> only for an
/// input recorded before it is processed (the API's queued inputs, a door's refusals) or one that
/// holds no report; inputs processed before this layout have there row <c>input</c> and a row
/// <c>r{nnnnn}</c> per report, and their time-index rows have no <c>Reports</c> column.
/// </summary>
public sealed class ReportInputLog(StorageAccount account)
{
    private const string InputRow = "input";
    private const string OutcomePrefix = "r";

    /// <summary>Characters of the warnings kept with an outcome (the parser says each kind of warning once).</summary>
    private const int MaxWarningText = 16 * 1024;

    /// <summary>Characters kept of a part's name or a reason.</summary>
    private const int MaxText = 4096;

    private readonly TableClient table = account.Table(StorageTables.ReportInputs);

    /// <summary>
    /// Records that <paramref name="input"/> was received, unless it was before: the record as it
    /// stands then (received, or processed with its outcomes), and whether this call wrote it.
    /// </summary>
    public async Task<(ReportInputRecord Record, bool Created)> ReceiveAsync(ReportInputRecord input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var entity = InputEntity(input with { State = ReportInputState.Received, ProcessedAt = null });
        try
        {
            await TableOperations.SubmitAsync(table, [new TableTransactionAction(TableTransactionActionType.Add, entity)], cancellationToken);
            return (input with { State = ReportInputState.Received, Reports = [] }, true);
        }
        catch (StorageConcurrencyException)
        {
            return (await GetAsync(input.Input, null, cancellationToken) ?? input, false);
        }
    }

    /// <summary>
    /// The input and its outcomes; null when it was never recorded. <paramref name="receivedAt"/>,
    /// when known (its blob's metadata), finds a processed input in the time index (one key range);
    /// otherwise, or when the index holds no record of it there, the input's own partition is read
    /// (recorded received, or processed before the time index held whole records), and a received
    /// input's time-index rows are looked for at the time that partition gives.
    /// </summary>
    public async Task<ReportInputRecord?> GetAsync(string input, DateTimeOffset? receivedAt, CancellationToken cancellationToken = default)
    {
        if (receivedAt is { } at && (await IndexedAsync(input, at, cancellationToken)).Record is { } processed)
        {
            return processed;
        }

        var own = await OwnAsync(input, cancellationToken);
        return own is { State: ReportInputState.Received } && own.ReceivedAt != receivedAt
            && (await IndexedAsync(input, own.ReceivedAt, cancellationToken)).Record is { } done
            ? done
            : own;
    }

    /// <summary>
    /// The record of input <paramref name="input"/> received at <paramref name="receivedAt"/> when it
    /// was processed; null when it was not (yet). One key range of the time index, and the input's
    /// own partition only when the index holds its rows in the layout before (no <c>Reports</c>).
    /// </summary>
    public async Task<ReportInputRecord?> GetProcessedAsync(string input, DateTimeOffset receivedAt, CancellationToken cancellationToken = default)
    {
        var (record, indexed) = await IndexedAsync(input, receivedAt, cancellationToken);
        return record is null && indexed && await OwnAsync(input, cancellationToken) is { State: ReportInputState.Processed } earlier ? earlier : record;
    }

    /// <summary>
    /// The input's rows in the time index: its record when they are all there (each says how many
    /// there are; an input of more than 100 reports is written in several transactions, and a crash
    /// between them leaves it unprocessed), and whether any row of it is there at all.
    /// </summary>
    private async Task<(ReportInputRecord? Record, bool Indexed)> IndexedAsync(string input, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        var prefix = IndexRowPrefix(receivedAt, input);
        var rows = await TableOperations.ListAsync(table, TableOperations.RangeFilter(MonthPartition(MonthOf(receivedAt)), prefix, TableOperations.PrefixEnd(prefix)), cancellationToken);
        var outcomes = rows.Where(r => r.GetInt32("Reports") is not null).ToList();
        if (outcomes.Count == 0 || outcomes.Count < outcomes[0].GetInt32("Reports"))
        {
            return (null, rows.Count > 0);
        }

        var first = outcomes[0];
        var record = new ReportInputRecord
        {
            Input = input,
            ReceivedAt = first.GetDateTimeOffset("ReceivedAt") ?? receivedAt,
            Door = first.GetString("Door"),
            Bytes = first.GetInt64("Bytes") ?? 0,
            State = ReportInputState.Processed,
            ProcessedAt = first.GetDateTimeOffset("ProcessedAt"),
            Reports = [.. outcomes.Select(ReadOutcome)],
        };
        return (record, true);
    }

    /// <summary>The input's own partition: its <c>input</c> row and, in the layout before, its outcomes; null when it has none.</summary>
    private async Task<ReportInputRecord?> OwnAsync(string input, CancellationToken cancellationToken)
    {
        var rows = await TableOperations.ListAsync(table, TableClient.CreateQueryFilter($"PartitionKey eq {input}"), cancellationToken);
        var head = rows.FirstOrDefault(r => r.RowKey == InputRow);
        if (head is null)
        {
            return null;
        }

        var state = Enum.TryParse<ReportInputState>(head.GetString("State"), out var parsed) ? parsed : ReportInputState.Received;
        return new ReportInputRecord
        {
            Input = input,
            ReceivedAt = head.GetDateTimeOffset("ReceivedAt") ?? default,
            Door = head.GetString("Door"),
            Bytes = head.GetInt64("Bytes") ?? 0,
            State = state,
            ProcessedAt = head.GetDateTimeOffset("ProcessedAt"),
            // Outcome rows count only once the input row says processed: they are written before it.
            Reports = state == ReportInputState.Processed
                ? [.. rows.Where(r => r.RowKey.StartsWith(OutcomePrefix, StringComparison.Ordinal)).OrderBy(r => r.RowKey, StringComparer.Ordinal).Take(head.GetInt32("Reports") ?? 0).Select(ReadOutcome)]
                : [],
        };
    }

    /// <summary>
    /// Records a processed input: its outcomes in the time index, each row saying how many there
    /// are, in one transaction (one more per 100 reports). An input that holds no report, which the
    /// index would not show, is its own partition's <c>input</c> row. Upserts: done again after a
    /// crash, it writes the same rows. An <c>input</c> row that says received stays so: reading
    /// (<see cref="GetAsync"/>) finds the outcomes through the time it gives.
    /// </summary>
    public async Task CompleteAsync(ReportInputRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Reports.Count == 0)
        {
            await TableOperations.SubmitAsync(table, [new TableTransactionAction(TableTransactionActionType.UpsertReplace, InputEntity(record with { State = ReportInputState.Processed }))], cancellationToken);
            return;
        }

        var month = MonthPartition(MonthOf(record.ReceivedAt));
        var prefix = IndexRowPrefix(record.ReceivedAt, record.Input);
        var byTime = record.Reports
            .Select(o => new TableTransactionAction(TableTransactionActionType.UpsertReplace, IndexEntity(month, prefix + Index(o), o, record)))
            .ToList();
        await TableOperations.SubmitAsync(table, byTime, cancellationToken);
    }

    /// <summary>
    /// The reports of the inputs received in the query's range, newest first, a page at a time: the
    /// time index's month partitions from the newest down, each a key range, filtered by domain and
    /// outcome in the service. The continuation names the month and the last row handed out, so a
    /// page resumes after it whatever "now" is by then (a range the caller did not give ends at now).
    /// </summary>
    public async Task<StoredPage<ListedReport>> ListAsync(ReportInputQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var identity = string.Join('\n', table.Name, query.PolicyDomain, query.Status);
        var first = MonthOf(query.From);
        var last = MonthOf(query.To);
        var (month, after) = (last, (string?)null);
        if (ContinuationToken.Unwrap(query.ContinuationToken, identity) is { } resume)
        {
            var parts = resume.Split('|', 2);
            if (parts.Length != 2 || parts[1].Length == 0 || !DateOnly.TryParseExact(parts[0], "yyyyMM", CultureInfo.InvariantCulture, DateTimeStyles.None, out month) || month < first || month > last)
            {
                throw new InvalidContinuationTokenException("the continuation token is not one this query returned");
            }

            after = parts[1];
        }

        var items = new List<ListedReport>();
        for (; month >= first; month = month.AddMonths(-1), after = null)
        {
            // Newest first: row keys start with the reversed time; '}' sorts after the '|' that follows it.
            var filter = TableOperations.RangeFilter(MonthPartition(month), ReverseTime.Key(query.To), ReverseTime.Key(query.From) + "}");
            filter += after is null ? "" : " and " + TableClient.CreateQueryFilter($"RowKey gt {after}");
            filter += query.PolicyDomain is { } domain ? " and " + TableClient.CreateQueryFilter($"PolicyDomain eq {domain}") : "";
            filter += query.Status is { } status ? " and " + TableClient.CreateQueryFilter($"Status eq {status.ToString()}") : "";

            // The service may answer a filtered query with fewer rows than asked and a token: follow it within this request.
            string? service = null;
            do
            {
                var page = await TableOperations.PageAsync(table, filter, query.PageSize - items.Count, service, null, cancellationToken);
                items.AddRange(page.Items.Select(row => new ListedReport(row.GetString("Input"), row.GetDateTimeOffset("ReceivedAt") ?? default, ReadOutcome(row))));
                if (items.Count >= query.PageSize)
                {
                    var more = page.ContinuationToken is not null || month > first;
                    return new(items, more ? ContinuationToken.Wrap(MonthPartition(month)[1..] + "|" + page.Items[^1].RowKey, identity) : null);
                }

                service = page.ContinuationToken;
            }
            while (service is not null);
        }

        return new(items, null);
    }

    private static DateOnly MonthOf(DateTimeOffset time) => new(time.UtcDateTime.Year, time.UtcDateTime.Month, 1);

    private static string MonthPartition(DateOnly month) => "m" + month.ToString("yyyyMM", CultureInfo.InvariantCulture);

    /// <summary>Where an input's rows start in its month's partition of the time index: its reversed receipt time and its id.</summary>
    private static string IndexRowPrefix(DateTimeOffset receivedAt, string input) => $"{ReverseTime.Key(receivedAt)}|{input}|";

    private static string Index(ReportOutcome outcome) => outcome.Index.ToString("D5", CultureInfo.InvariantCulture);

    private static TableEntity InputEntity(ReportInputRecord record) => new TableEntity(record.Input, InputRow)
    {
        ["ReceivedAt"] = record.ReceivedAt,
        ["Door"] = record.Door,
        ["Bytes"] = record.Bytes,
        ["State"] = record.State.ToString(),
        ["ProcessedAt"] = record.ProcessedAt,
        ["Reports"] = record.Reports.Count,
    }.WithoutNulls();

    /// <summary>An outcome in the time index, with what the input's record needs besides (<see cref="IndexedAsync"/>).</summary>
    private static TableEntity IndexEntity(string partition, string row, ReportOutcome outcome, ReportInputRecord record)
    {
        var warnings = string.Join('\n', outcome.Warnings);
        return new TableEntity(partition, row)
        {
            ["Input"] = record.Input,
            ["ReceivedAt"] = record.ReceivedAt,
            ["Door"] = record.Door,
            ["Bytes"] = record.Bytes,
            ["ProcessedAt"] = record.ProcessedAt,
            ["Reports"] = record.Reports.Count,
            ["Index"] = outcome.Index,
            ["Part"] = Cut(outcome.Part),
            ["Kind"] = outcome.Kind,
            ["Status"] = outcome.Status.ToString(),
            ["Reason"] = Cut(outcome.Reason),
            ["OrgName"] = outcome.OrgName,
            ["ReportId"] = outcome.ReportId,
            ["PolicyDomain"] = outcome.PolicyDomain,
            ["Begin"] = outcome.Begin,
            ["End"] = outcome.End,
            ["ReportKey"] = outcome.ReportKey,
            ["Records"] = outcome.Records,
            ["DroppedRecords"] = outcome.DroppedRecords,
            ["Messages"] = outcome.Messages,
            ["DmarcPass"] = outcome.DmarcPass,
            ["SuccessfulSessions"] = outcome.SuccessfulSessions,
            ["FailedSessions"] = outcome.FailedSessions,
            ["Warnings"] = warnings.Length > MaxWarningText ? warnings[..MaxWarningText] : warnings,
            ["DuplicateOf"] = outcome.DuplicateOf,
            ["Targets"] = string.Join(',', outcome.Targets),
        }.WithoutNulls();
    }

    /// <summary>A text of the input's (a part's file name, a reason quoting it) cut to what a column should hold.</summary>
    private static string? Cut(string? text) => text is { Length: > MaxText } ? text[..MaxText] : text;

    private static ReportOutcome ReadOutcome(TableEntity row) => new()
    {
        Index = row.GetInt32("Index") ?? 0,
        Part = row.GetString("Part"),
        Kind = row.GetString("Kind"),
        Status = Enum.TryParse<ReportOutcomeStatus>(row.GetString("Status"), out var status) ? status : ReportOutcomeStatus.Invalid,
        Reason = row.GetString("Reason"),
        OrgName = row.GetString("OrgName"),
        ReportId = row.GetString("ReportId"),
        PolicyDomain = row.GetString("PolicyDomain"),
        Begin = row.GetDateTimeOffset("Begin"),
        End = row.GetDateTimeOffset("End"),
        ReportKey = row.GetString("ReportKey"),
        Records = row.GetInt64("Records") ?? 0,
        DroppedRecords = row.GetInt32("DroppedRecords") ?? 0,
        Messages = row.GetDouble("Messages"),
        DmarcPass = row.GetDouble("DmarcPass"),
        SuccessfulSessions = row.GetDouble("SuccessfulSessions"),
        FailedSessions = row.GetDouble("FailedSessions"),
        Warnings = row.GetString("Warnings") is { Length: > 0 } warnings ? warnings.Split('\n') : [],
        DuplicateOf = row.GetString("DuplicateOf"),
        Targets = row.GetString("Targets") is { Length: > 0 } targets ? targets.Split(',') : [],
    };
}
