using MailHealth.Storage.Configuration;

namespace MailHealth.Testing;

/// <summary>
/// Storage of a test's own on the peers' Azurite: the settings that give a monitor tables and
/// queues under a prefix no other test uses, and their removal when the test is done.
/// </summary>
public static class PeerStorage
{
    /// <summary>A table and queue prefix no other test uses, starting with <paramref name="letter"/> (a table name starts with a letter).</summary>
    public static string UniquePrefix(char letter = 't') => letter + Guid.NewGuid().ToString("N")[..12];

    /// <summary>The peers' Azurite with tables and queues under <paramref name="prefix"/>, and unbound as the resolver.</summary>
    public static Dictionary<string, string?> Settings(string prefix) => new()
    {
        ["MailHealth:Storage:ConnectionString"] = Peers.AzuriteConnectionString,
        ["MailHealth:Storage:TablePrefix"] = prefix,
        ["MailHealth:Storage:ProbeQueueName"] = prefix + "-probes",
        ["MailHealth:Storage:NotificationQueueName"] = prefix + "-notifications",
        ["MailHealth:Storage:ReportQueueName"] = prefix + "-reports",
        ["MailHealth:Storage:ReportContainerName"] = prefix + "-reports",
        ["MailHealth:Dns:Servers:0"] = RecursivePeer.Endpoint.ToString(),
    };

    /// <summary>Removes every table, queue and the report container of <paramref name="account"/>'s settings (its prefix).</summary>
    public static async Task DeleteAsync(StorageAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        foreach (var table in account.TableNames)
        {
            await account.Tables.DeleteTableAsync(table);
        }

        foreach (var queue in account.QueueNames)
        {
            await account.Queues.DeleteQueueAsync(queue);
        }

        await account.ReportContainer.DeleteIfExistsAsync();
    }
}
