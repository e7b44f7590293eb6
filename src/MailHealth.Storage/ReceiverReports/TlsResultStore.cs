using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using MailHealth.ReportTotals;
using MailHealth.Storage.Configuration;
using MailHealth.Storage.Keys;
using MailHealth.Storage.Tables;

namespace MailHealth.Storage.ReceiverReports;

/// <summary>
/// What each TLS report says per policy type, MX host and result type on each day, table
/// <c>{prefix}tlsresults</c>: partition <c>{domain}|{yyyyMMdd}</c>, row
/// <c>{report key}_{input}_{policy type}|{result type}|{MX host}</c> (escaped) with the
/// successful and failed sessions times the day's share. Written before the report's commit and
/// counted only for committed reports, as <see cref="DmarcSourceStore"/>.
/// </summary>
public sealed class TlsResultStore(StorageAccount account)
{
    /// <summary>Characters of a row key after the report and input (which take 50).</summary>
    private const int MaxRowPart = 400;

    private readonly TableClient table = account.Table(StorageTables.TlsResults);

    /// <summary>Writes a report's counts spread over <paramref name="days"/>; returns the transactions sent.</summary>
    public async Task<int> WriteAsync(
        string domain, string reportKey, string input, IReadOnlyList<DayShare> days,
        IReadOnlyDictionary<TlsResultKey, TlsSessionCounts> counts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(days);
        ArgumentNullException.ThrowIfNull(counts);
        var prefix = ReportKeys.Contribution(reportKey, input);
        var transactions = 0;
        foreach (var day in days)
        {
            var partition = ReportKeys.DomainDay(domain, day.Day);
            var actions = counts.Select(c => new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(partition, prefix + Row(c.Key))
            {
                ["PolicyType"] = c.Key.PolicyType,
                ["MxHost"] = c.Key.MxHost,
                ["ResultType"] = c.Key.ResultType,
            }.With(c.Value.Share(day.Share)))).ToList();
            transactions += await TableOperations.SubmitAsync(table, actions, cancellationToken);
        }

        return transactions;
    }

    /// <summary>Deletes the rows one input wrote for a report. Returns how many.</summary>
    public Task<int> DeleteAsync(string domain, string reportKey, string input, IReadOnlyList<DayShare> days, CancellationToken cancellationToken = default) =>
        ReportContributions.DeleteAsync(table, domain, reportKey, input, days, cancellationToken);

    /// <summary>Each policy type, MX host and result type of <paramref name="day"/>, added up over the reports in <paramref name="committed"/>.</summary>
    public async Task<IReadOnlyList<TlsResultTotals>> ListAsync(string domain, DateOnly day, IEnumerable<ReportDayTotals> committed, CancellationToken cancellationToken = default)
    {
        var counted = new CommittedReports(committed);
        var byKey = new Dictionary<TlsResultKey, (TlsSessionCounts Sessions, HashSet<string> Reports)>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {ReportKeys.DomainDay(domain, day)}");
        await foreach (var row in TableOperations.QueryAllAsync(table, filter, null, cancellationToken))
        {
            if (!counted.Counts(row.RowKey))
            {
                continue;
            }

            var key = new TlsResultKey(row.GetString("PolicyType"), row.GetString("MxHost") ?? "", row.GetString("ResultType") ?? "");
            var sessions = ReportColumns.Tls(row);
            var reports = byKey.TryGetValue(key, out var before) ? before.Reports : new HashSet<string>(StringComparer.Ordinal);
            reports.Add(row.RowKey[..ReportKeys.ContributionLength]);
            byKey[key] = (before.Sessions is null ? sessions : before.Sessions.Plus(sessions), reports);
        }

        return [.. byKey.Select(k => new TlsResultTotals(k.Key, k.Value.Sessions, k.Value.Reports.Count))
            .OrderBy(t => t.Key.PolicyType, StringComparer.Ordinal).ThenBy(t => t.Key.MxHost, StringComparer.Ordinal).ThenBy(t => t.Key.ResultType, StringComparer.Ordinal)];
    }

    /// <summary>The row's own part of the key; a long list of MX patterns is cut and told apart by a hash, so the key stays within the service's 512 characters.</summary>
    private static string Row(TlsResultKey key)
    {
        var row = $"{KeyText.Escape(key.PolicyType)}|{KeyText.Escape(key.ResultType)}|{KeyText.Escape(key.MxHost)}";
        return row.Length <= MaxRowPart
            ? row
            : row[..(MaxRowPart - 17)] + "~" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(row)).AsSpan(0, 8));
    }
}
