using Azure.Data.Tables;
using MailHealth.Storage.Configuration;
using MailHealth.Storage.Keys;
using MailHealth.Storage.Tables;

namespace MailHealth.Storage.ReceiverReports;

/// <summary>
/// The names of the source addresses of each domain's aggregate reports, table
/// <c>{prefix}dmarcsenders</c>: partition the policy domain (escaped), row the address (escaped),
/// one row per address. Naming is idempotent: a row is replaced whole by the next naming of its
/// address, and reports only ever widen its first and last seen days.
/// </summary>
public sealed class DmarcSenderStore(StorageAccount account)
{
    private readonly TableClient table = account.Table(StorageTables.DmarcSenders);

    /// <summary>Every named address of <paramref name="domain"/>: one partition read (a page per 1,000 addresses).</summary>
    public async Task<IReadOnlyList<StoredSender>> ListAsync(string domain, CancellationToken cancellationToken = default)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {ReportKeys.Domain(domain)}");
        var senders = new List<StoredSender>();
        await foreach (var row in TableOperations.QueryAllAsync(table, filter, null, cancellationToken))
        {
            senders.Add(Read(row));
        }

        return senders;
    }

    /// <summary>Writes <paramref name="senders"/> of <paramref name="domain"/>, each replacing its address's row: transactions of up to 100. Returns the transactions sent.</summary>
    public Task<int> WriteAsync(string domain, IEnumerable<StoredSender> senders, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(senders);
        var partition = ReportKeys.Domain(domain);
        return TableOperations.SubmitAsync(
            table,
            [.. senders.Select(s => new TableTransactionAction(TableTransactionActionType.UpsertReplace, Entity(partition, s)))],
            cancellationToken);
    }

    private static TableEntity Entity(string partition, StoredSender sender) => new TableEntity(partition, KeyText.Checked(KeyText.Escape(sender.Ip), "source address"))
    {
        ["Ip"] = sender.Ip,
        ["PtrName"] = sender.PtrName,
        ["Confirmed"] = sender.Confirmed,
        ["BaseDomain"] = sender.BaseDomain,
        ["Problem"] = sender.Problem,
        ["SpfResult"] = sender.SpfResult,
        ["SpfTerm"] = sender.SpfTerm,
        ["SpfMechanism"] = sender.SpfMechanism,
        ["NamedAt"] = sender.NamedAt,
        ["FirstSeen"] = ReportKeys.Midnight(sender.FirstSeen),
        ["LastSeen"] = ReportKeys.Midnight(sender.LastSeen),
    }.WithoutNulls();

    private static StoredSender Read(TableEntity row) => new()
    {
        Ip = row.GetString("Ip"),
        PtrName = row.GetString("PtrName"),
        Confirmed = row.GetBoolean("Confirmed") ?? false,
        BaseDomain = row.GetString("BaseDomain"),
        Problem = row.GetString("Problem") ?? "",
        SpfResult = row.GetString("SpfResult"),
        SpfTerm = row.GetString("SpfTerm"),
        SpfMechanism = row.GetString("SpfMechanism"),
        NamedAt = row.GetDateTimeOffset("NamedAt"),
        FirstSeen = Day(row.GetDateTimeOffset("FirstSeen")),
        LastSeen = Day(row.GetDateTimeOffset("LastSeen")),
    };

    private static DateOnly Day(DateTimeOffset? midnight) => DateOnly.FromDateTime((midnight ?? default).UtcDateTime);
}
