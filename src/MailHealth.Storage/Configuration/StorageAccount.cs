using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using MailHealth.Storage.Availability;
using Microsoft.Extensions.Options;

namespace MailHealth.Storage.Configuration;

/// <summary>
/// The service clients of the configured account, and the names of the monitor's tables, queues
/// and blob container. One per process: the clients are thread-safe and share their HTTP pipeline.
/// </summary>
public sealed class StorageAccount
{
    public StorageAccount(IOptions<StorageOptions> options, StorageAvailability availability)
        : this(options.Value, availability)
    {
    }

    /// <param name="availability">Where the clients report failures and answers; a tracker of its own when null.</param>
    public StorageAccount(StorageOptions options, StorageAvailability? availability = null)
    {
        var errors = StorageOptionsValidator.Errors(options).ToList();
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(StorageOptions.SectionPath, typeof(StorageOptions), errors);
        }

        Options = options;
        Availability = availability ?? new StorageAvailability(TimeProvider.System);
        var tableOptions = StorageClientOptions.Configure(new TableClientOptions(), options, Availability);
        var queueOptions = StorageClientOptions.Configure(new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 }, options, Availability);
        var blobOptions = StorageClientOptions.Configure(new BlobClientOptions(), options, Availability);
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            Tables = new TableServiceClient(options.ConnectionString, tableOptions);
            Queues = new QueueServiceClient(options.ConnectionString, queueOptions);
            Blobs = new BlobServiceClient(options.ConnectionString, blobOptions);
        }
        else
        {
            var tableUri = options.TableServiceUri ?? new Uri($"https://{options.AccountName}.table.core.windows.net");
            var queueUri = options.QueueServiceUri ?? new Uri($"https://{options.AccountName}.queue.core.windows.net");
            var blobUri = options.BlobServiceUri ?? new Uri($"https://{options.AccountName}.blob.core.windows.net");
            TokenCredential credential = new DefaultAzureCredential(new DefaultAzureCredentialOptions
            {
                ManagedIdentityClientId = options.ManagedIdentityClientId,
            });
            Tables = new TableServiceClient(tableUri, credential, tableOptions);
            Queues = new QueueServiceClient(queueUri, credential, queueOptions);
            Blobs = new BlobServiceClient(blobUri, credential, blobOptions);
        }
    }

    public StorageOptions Options { get; }

    /// <summary>Whether storage answers, as this account's clients have seen it.</summary>
    public StorageAvailability Availability { get; }

    public TableServiceClient Tables { get; }

    /// <summary>Queue clients that read and write Base64 messages, as the Functions queue trigger expects.</summary>
    public QueueServiceClient Queues { get; }

    public BlobServiceClient Blobs { get; }

    /// <summary>The container of report inputs as they arrived (<see cref="StorageOptions.ReportContainerName"/>).</summary>
    public BlobContainerClient ReportContainer => Blobs.GetBlobContainerClient(Options.ReportContainerName);

    /// <summary>The table <c>{TablePrefix}{name}</c>.</summary>
    public TableClient Table(string name) => Tables.GetTableClient(Options.TablePrefix + name);

    /// <summary>Every table the stores use: created by <see cref="StorageInitializer"/>, as are the queues and the report container.</summary>
    public IReadOnlyList<string> TableNames => [.. StorageTables.All.Select(name => Options.TablePrefix + name)];

    public IReadOnlyList<string> QueueNames =>
    [
        Options.ProbeQueueName,
        Options.ProbeQueueName + "-poison",
        Options.NotificationQueueName,
        Options.NotificationQueueName + "-poison",
        Options.ReportQueueName,
        Options.ReportQueueName + "-poison",
    ];
}
