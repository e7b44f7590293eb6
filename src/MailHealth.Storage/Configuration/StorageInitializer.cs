namespace MailHealth.Storage.Configuration;

/// <summary>Creates the tables, queues and the report container when missing. Idempotent: safe at every start-up.</summary>
public sealed class StorageInitializer(StorageAccount account)
{
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        foreach (var table in account.TableNames)
        {
            await account.Tables.CreateTableIfNotExistsAsync(table, cancellationToken);
        }

        foreach (var queue in account.QueueNames)
        {
            await account.Queues.GetQueueClient(queue).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        }

        await account.ReportContainer.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
    }
}
