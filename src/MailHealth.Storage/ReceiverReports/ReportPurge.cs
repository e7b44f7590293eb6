using System.Globalization;
using Azure.Data.Tables;
using MailHealth.Storage.Configuration;
using MailHealth.Storage.Keys;
using MailHealth.Storage.Tables;

namespace MailHealth.Storage.ReceiverReports;

/// <summary>
/// Removes receivers' reports older than a cut-off day (docs/storage.md, "Retention"): for each
/// policy domain with reports from before it, the day partitions of its rows by source and by TLS
/// result (one range of partition keys, <c>{domain}|{yyyyMMdd}</c>, per table), its day rows and
/// the ledger rows of reports whose range ended by the cut-off, the names of its sources last
/// seen before it, and its row in the domain index
/// once nothing of it is left; the domains awaiting a first report that no run saw since the
/// cut-off; then the inputs received in the months wholly before the cut-off:
/// their blobs, their records and the time index, and the blobs of those months that no record
/// names. Ingestion refuses a report that ended before
/// the cut-off, so a re-delivery of a purged report is not counted again.
/// </summary>
public sealed class ReportPurge(StorageAccount account, ReportDomainIndex domains, ReportBlobStore blobs, DmarcSenderStore names)
{
    private readonly TableClient reports = account.Table(StorageTables.Reports);
    private readonly TableClient sources = account.Table(StorageTables.DmarcSources);
    private readonly TableClient tlsResults = account.Table(StorageTables.TlsResults);
    private readonly TableClient inputs = account.Table(StorageTables.ReportInputs);

    public async Task<ReportPurgeResult> PurgeAsync(DateOnly before, CancellationToken cancellationToken = default)
    {
        var cutOff = ReportKeys.Midnight(before);
        var result = new ReportPurgeResult();
        foreach (var domain in await domains.ListAsync(cancellationToken))
        {
            if (domain.FirstBegin >= cutOff)
            {
                continue;
            }

            var partition = ReportKeys.Domain(domain.Domain);
            // The domain's day partitions sort by day after "{domain}|": those before the cut-off are one range.
            var days = TableClient.CreateQueryFilter($"PartitionKey gt {partition + "|"} and PartitionKey lt {ReportKeys.DomainDay(domain.Domain, before)}");
            var sourceRows = await TableOperations.DeleteWhereAsync(sources, days, cancellationToken);
            var tlsRows = await TableOperations.DeleteWhereAsync(tlsResults, days, cancellationToken);
            var dayRows = await TableOperations.DeleteWhereAsync(reports, TableOperations.RangeFilter(partition, ReportKeys.DayPrefix, ReportKeys.Day(before)), cancellationToken);
            var ledger = TableClient.CreateQueryFilter(
                $"PartitionKey eq {partition} and RowKey ge {ReportKeys.LedgerPrefix} and RowKey lt {TableOperations.PrefixEnd(ReportKeys.LedgerPrefix)} and End le {cutOff}");
            var ledgerRows = await TableOperations.DeleteWhereAsync(reports, ledger, cancellationToken);
            // The names of sources no kept report saw, out of their buckets.
            var senderRows = await names.PurgeAsync(domain.Domain, before, cancellationToken);
            var forgotten = await domains.ForgetAsync(domain.Domain, cutOff, cancellationToken);
            result = result with
            {
                SourceRows = result.SourceRows + sourceRows,
                TlsRows = result.TlsRows + tlsRows,
                DayRows = result.DayRows + dayRows,
                Reports = result.Reports + ledgerRows,
                Senders = result.Senders + senderRows,
                Domains = result.Domains + (forgotten ? 1 : 0),
            };
        }

        var awaited = await domains.ForgetAwaitedAsync(cutOff, cancellationToken);

        // The time index's month partitions sort by month after "m": those wholly before the cut-off are one range.
        var months = TableClient.CreateQueryFilter($"PartitionKey ge {"m"} and PartitionKey lt {"m" + before.ToString("yyyyMM", CultureInfo.InvariantCulture)}");
        var indexed = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var row in TableOperations.QueryAllAsync(inputs, months, ["Input"], cancellationToken))
        {
            if (row.GetString("Input") is { } input && ReportBlobStore.IsInputId(input) && indexed.Add(input))
            {
                await RemoveInputAsync(input, cancellationToken);
            }
        }

        // Blobs no record names, received in those months too: an input stored and never recorded
        // (a command-line import that crashed between the two and was never run again). Nothing
        // else would ever remove them; their reports would be refused now, all being that old.
        var orphans = 0;
        await foreach (var input in blobs.ListReceivedBeforeAsync(ReportKeys.Midnight(new DateOnly(before.Year, before.Month, 1)), cancellationToken))
        {
            if (!indexed.Contains(input) && await RemoveInputAsync(input, cancellationToken))
            {
                orphans++;
            }
        }

        // The index last: a purge cut short finds the inputs it did not remove through it again.
        await TableOperations.DeleteWhereAsync(inputs, months, cancellationToken);
        return result with { Inputs = indexed.Count + orphans, Awaited = awaited };
    }

    /// <summary>
    /// Removes an input's blob and its own partition (an <c>input</c> row of the API's or a
    /// refusal's, a record of the layout before: one query, empty for most); whether it had a blob.
    /// </summary>
    private async Task<bool> RemoveInputAsync(string input, CancellationToken cancellationToken)
    {
        var hadBlob = await blobs.DeleteAsync(input, cancellationToken);
        await TableOperations.DeleteWhereAsync(inputs, TableClient.CreateQueryFilter($"PartitionKey eq {input}"), cancellationToken);
        return hadBlob;
    }
}

/// <summary>What a report purge removed: rows by source and by TLS result, day rows, reports (ledger rows), named senders no kept report saw, domains no longer indexed, inputs (blob and records), domains awaiting their first report that no run saw since the cut-off.</summary>
public sealed record ReportPurgeResult(int SourceRows = 0, int TlsRows = 0, int DayRows = 0, int Reports = 0, int Senders = 0, int Domains = 0, int Inputs = 0, int Awaited = 0);
