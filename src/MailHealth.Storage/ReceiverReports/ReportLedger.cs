using Azure.Data.Tables;
using MailHealth.ReceiverReports;
using MailHealth.Storage.Configuration;
using MailHealth.Storage.Limits;
using MailHealth.Storage.Payloads;
using MailHealth.Storage.Tables;

namespace MailHealth.Storage.ReceiverReports;

/// <summary>
/// The reports that count, table <c>{prefix}reports</c>, one partition per policy domain: a
/// ledger row per report (<c>r_{key}</c>, its identity and totals) and its totals on each day its
/// range covers (<c>d_{yyyyMMdd}_{key}</c>). A report is committed by one transaction that inserts
/// its ledger row and writes its day rows: both or neither, and a second commit of the same
/// identity (a re-delivered report) inserts nothing and gets the first one back. The rows of a
/// report by source or by TLS result (<see cref="DmarcSourceStore"/>, <see cref="TlsResultStore"/>)
/// are written before and count only once the ledger names their report and input.
/// </summary>
public sealed class ReportLedger(StorageAccount account)
{
    private readonly TableClient table = account.Table(StorageTables.Reports);

    /// <summary>The committed report of <paramref name="reportKey"/> for <paramref name="domain"/>; null when none is.</summary>
    public async Task<StoredReport?> GetAsync(string domain, string reportKey, CancellationToken cancellationToken = default)
    {
        var entity = await TableOperations.GetAsync(table, ReportKeys.Domain(domain), ReportKeys.Ledger(reportKey), cancellationToken);
        return entity is null ? null : Read(entity);
    }

    /// <summary>
    /// Commits <paramref name="report"/>: its ledger row, inserted only if there is none, and its
    /// day rows, in one transaction. Null when it was committed now; when a report of the same
    /// identity was committed first, that one, and nothing was written.
    /// </summary>
    public async Task<StoredReport?> CommitAsync(StoredReport report, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        var partition = ReportKeys.Domain(report.PolicyDomain);
        var days = report.Days;
        if (days.Count + 1 > TableLimits.MaxBatchOperations)
        {
            throw new TableLimitException($"report {report.Key}: {days.Count} days and its ledger row do not fit in one transaction");
        }

        List<TableTransactionAction> actions = [new(TableTransactionActionType.Add, LedgerEntity(partition, report))];
        foreach (var day in days)
        {
            var entity = new TableEntity(partition, ReportKeys.DayRow(day.Day, report.Key))
            {
                ["Kind"] = report.Kind,
                ["Day"] = ReportKeys.Midnight(day.Day),
                ["Input"] = report.Input,
                ["OrgName"] = report.OrgName,
                ["ReportId"] = report.ReportId,
                ["Share"] = day.Share,
                ["Sources"] = report.Sources,
            };
            actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, entity.With(report.Dmarc?.Share(day.Share)).With(report.Tls?.Share(day.Share))));
        }

        try
        {
            await TableOperations.SubmitAsync(table, [actions], cancellationToken);
            return null;
        }
        catch (StorageConcurrencyException)
        {
            // The ledger row exists: the report was committed first by another input (or by this
            // one, on another worker). The transaction wrote nothing.
            return await GetAsync(report.PolicyDomain, report.Key, cancellationToken)
                ?? throw new StoredDataException($"report {report.Key} of {report.PolicyDomain}: its commit conflicted, yet no ledger row is there");
        }
    }

    /// <summary>The committed reports' totals on each day from <paramref name="from"/> to <paramref name="to"/> (both included): one key range of the domain's partition.</summary>
    public async Task<IReadOnlyList<ReportDayTotals>> ListDaysAsync(string domain, DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        var filter = TableOperations.RangeFilter(ReportKeys.Domain(domain), ReportKeys.Day(from), TableOperations.PrefixEnd(ReportKeys.Day(to)));
        var rows = await TableOperations.ListAsync(table, filter, cancellationToken);
        return [.. rows.Select(row =>
        {
            var kind = row.GetString("Kind");
            return new ReportDayTotals(
                ReportKeys.DayOf(row.GetDateTimeOffset("Day")),
                kind,
                ReportKeys.ReportKeyOfDayRow(row.RowKey),
                row.GetString("Input"),
                row.GetString("OrgName"),
                row.GetString("ReportId"),
                row.GetDouble("Share") ?? 0,
                row.GetInt32("Sources") ?? 0,
                kind == ReceivedReportKindNames.Dmarc ? ReportColumns.Dmarc(row) : null,
                kind == ReceivedReportKindNames.TlsRpt ? ReportColumns.Tls(row) : null);
        })];
    }

    private static TableEntity LedgerEntity(string partition, StoredReport report) => new TableEntity(partition, ReportKeys.Ledger(report.Key))
    {
        ["Kind"] = report.Kind,
        ["OrgName"] = report.OrgName,
        ["ReportId"] = report.ReportId,
        ["PolicyDomain"] = report.PolicyDomain,
        ["Begin"] = report.Begin,
        ["End"] = report.End,
        ["Input"] = report.Input,
        ["ReceivedAt"] = report.ReceivedAt,
        ["Door"] = report.Door,
        ["CommittedAt"] = report.CommittedAt,
        ["Records"] = report.Records,
        ["DroppedRecords"] = report.DroppedRecords,
        ["Warnings"] = report.Warnings,
        ["Sources"] = report.Sources,
    }.With(report.Dmarc).With(report.Tls);

    private static StoredReport Read(TableEntity entity)
    {
        var kind = entity.GetString("Kind");
        return new StoredReport
        {
            Key = entity.RowKey[ReportKeys.LedgerPrefix.Length..],
            Kind = kind,
            OrgName = entity.GetString("OrgName"),
            ReportId = entity.GetString("ReportId"),
            PolicyDomain = entity.GetString("PolicyDomain"),
            Begin = entity.GetDateTimeOffset("Begin") ?? default,
            End = entity.GetDateTimeOffset("End") ?? default,
            Input = entity.GetString("Input"),
            ReceivedAt = entity.GetDateTimeOffset("ReceivedAt") ?? default,
            Door = entity.GetString("Door"),
            CommittedAt = entity.GetDateTimeOffset("CommittedAt") ?? default,
            Records = entity.GetInt64("Records") ?? 0,
            DroppedRecords = entity.GetInt32("DroppedRecords") ?? 0,
            Warnings = entity.GetInt32("Warnings") ?? 0,
            Sources = entity.GetInt32("Sources") ?? 0,
            Dmarc = kind == ReceivedReportKindNames.Dmarc ? ReportColumns.Dmarc(entity) : null,
            Tls = kind == ReceivedReportKindNames.TlsRpt ? ReportColumns.Tls(entity) : null,
        };
    }
}
