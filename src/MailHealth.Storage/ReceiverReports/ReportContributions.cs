using Azure.Data.Tables;
using MailHealth.ReportTotals;
using MailHealth.Storage.Tables;

namespace MailHealth.Storage.ReceiverReports;

/// <summary>
/// The rows one input wrote for one report in a table of per-report rows (<see cref="DmarcSourceStore"/>,
/// <see cref="TlsResultStore"/>): in each day partition of the report's range, the key range that
/// starts with <see cref="ReportKeys.Contribution"/>.
/// </summary>
internal static class ReportContributions
{
    /// <summary>Deletes them (the report turned out invalid, or another input committed it first); returns how many. One key range per day, empty as a rule.</summary>
    public static async Task<int> DeleteAsync(TableClient table, string domain, string reportKey, string input, IReadOnlyList<DayShare> days, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(days);
        var prefix = ReportKeys.Contribution(reportKey, input);
        var deleted = 0;
        foreach (var day in days)
        {
            deleted += await TableOperations.DeleteWhereAsync(table, TableOperations.RangeFilter(ReportKeys.DomainDay(domain, day.Day), prefix, TableOperations.PrefixEnd(prefix)), cancellationToken);
        }

        return deleted;
    }
}
