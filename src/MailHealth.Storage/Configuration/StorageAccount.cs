using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Queues;
using Microsoft.Extensions.Options;

namespace MailHealth.Storage.Configuration;

/// <summary>
/// The service clients of the configured account, and the names of the monitor's tables and
/// queues. One per process: the clients are thread-safe and share their HTTP pipeline.
/// </summary>
public sealed class StorageAccount
{
    public StorageAccount(IOptions<StorageOptions> options)
        : this(options.Value)
    {
    }

    public StorageAccount(StorageOptions options)
    {
        var errors = StorageOptionsValidator.Errors(options).ToList();
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(StorageOptions.SectionPath, typeof(StorageOptions), errors);
        }

        Options = options;
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            Tables = new TableServiceClient(options.ConnectionString);
            Queues = new QueueServiceClient(options.ConnectionString, QueueOptions());
        }
        else
        {
            var tableUri = options.TableServiceUri ?? new Uri($"https://{options.AccountName}.table.core.windows.net");
            var queueUri = options.QueueServiceUri ?? new Uri($"https://{options.AccountName}.queue.core.windows.net");
            TokenCredential credential = new DefaultAzureCredential(new DefaultAzureCredentialOptions
            {
                ManagedIdentityClientId = options.ManagedIdentityClientId,
            });
            Tables = new TableServiceClient(tableUri, credential);
            Queues = new QueueServiceClient(queueUri, credential, QueueOptions());
        }
    }

    public StorageOptions Options { get; }

    public TableServiceClient Tables { get; }

    /// <summary>Queue clients that read and write Base64 messages, as the Functions queue trigger expects.</summary>
    public QueueServiceClient Queues { get; }

    /// <summary>The table <c>{TablePrefix}{name}</c>.</summary>
    public TableClient Table(string name) => Tables.GetTableClient(Options.TablePrefix + name);

    /// <summary>Every table and queue the stores use: created by <see cref="StorageInitializer"/>.</summary>
    public IReadOnlyList<string> TableNames => [.. StorageTables.All.Select(name => Options.TablePrefix + name)];

    public IReadOnlyList<string> QueueNames =>
    [
        Options.ProbeQueueName,
        Options.ProbeQueueName + "-poison",
        Options.NotificationQueueName,
        Options.NotificationQueueName + "-poison",
    ];

    private static QueueClientOptions QueueOptions() => new() { MessageEncoding = QueueMessageEncoding.Base64 };
}
