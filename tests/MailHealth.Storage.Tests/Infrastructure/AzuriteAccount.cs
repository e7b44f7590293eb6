using MailHealth.Storage.Configuration;
using MailHealth.Testing;

namespace MailHealth.Storage.Tests.Infrastructure;

/// <summary>
/// A fresh set of tables and queues on the peers' Azurite (eng/peers/start.d/60-azurite.sh), under
/// a prefix of their own so that test classes never see each other's data. One per test class
/// (an xunit class fixture); the tables are deleted afterwards.
/// </summary>
public sealed class AzuriteAccount : IAsyncLifetime
{
    public AzuriteAccount()
    {
        var unique = Guid.NewGuid().ToString("N")[..12];
        Options = new StorageOptions
        {
            ConnectionString = Peers.AzuriteConnectionString,
            TablePrefix = "t" + unique,
            ProbeQueueName = "p-" + unique,
            NotificationQueueName = "n-" + unique,
            ReportQueueName = "r-" + unique,
            ReportContainerName = "r-" + unique,
        };
        Account = new StorageAccount(Options);
    }

    public StorageOptions Options { get; }

    public StorageAccount Account { get; }

    public Task InitializeAsync() => new StorageInitializer(Account).InitializeAsync();

    public async Task DisposeAsync()
    {
        foreach (var table in Account.TableNames)
        {
            await Account.Tables.DeleteTableAsync(table);
        }

        foreach (var queue in Account.QueueNames)
        {
            await Account.Queues.DeleteQueueAsync(queue);
        }

        await Account.ReportContainer.DeleteIfExistsAsync();
    }
}
