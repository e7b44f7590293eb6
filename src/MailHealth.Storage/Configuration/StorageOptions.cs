namespace MailHealth.Storage.Configuration;

/// <summary>
/// Where the monitor's tables and queues are (configuration section <c>MailHealth:Storage</c>).
/// Exactly one way to reach the account: <see cref="ConnectionString"/> (Azurite, or an account
/// key), <see cref="AccountName"/>, or <see cref="TableServiceUri"/> with <see cref="QueueServiceUri"/>
/// and <see cref="BlobServiceUri"/>; the last two use DefaultAzureCredential (managed identity in Azure).
/// </summary>
public sealed class StorageOptions
{
    public const string SectionPath = "MailHealth:Storage";

    /// <summary>A storage connection string, such as <c>UseDevelopmentStorage=true</c>. Holds a key: never logged.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The storage account name: endpoints https://{account}.table.core.windows.net, .queue.core.windows.net and .blob.core.windows.net.</summary>
    public string? AccountName { get; set; }

    public Uri? TableServiceUri { get; set; }

    public Uri? QueueServiceUri { get; set; }

    /// <summary>Where receivers' reports are kept as they arrived (<see cref="ReportContainerName"/>).</summary>
    public Uri? BlobServiceUri { get; set; }

    /// <summary>The client id of a user-assigned managed identity; null: the system-assigned one (or any other DefaultAzureCredential source).</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>Prepended to every table name: letters and digits, starting with a letter, 1-40 characters. Default <c>mailhealth</c>.</summary>
    public string TablePrefix { get; set; } = "mailhealth";

    /// <summary>The queue of probe requests (one message per target and slot). Default <c>mailhealth-probes</c>.</summary>
    public string ProbeQueueName { get; set; } = "mailhealth-probes";

    /// <summary>The queue of notification deliveries. Default <c>mailhealth-notifications</c>.</summary>
    public string NotificationQueueName { get; set; } = "mailhealth-notifications";

    /// <summary>The queue of received report inputs to process (one message per input, naming its blob). Default <c>mailhealth-reports</c>.</summary>
    public string ReportQueueName { get; set; } = "mailhealth-reports";

    /// <summary>
    /// The blob container that keeps every report input as it arrived, gzip-compressed and named by
    /// the SHA-256 of its bytes, so it can be processed again after a parser fix. Default
    /// <c>mailhealth-reports</c>; 3-63 lowercase letters, digits and single hyphens.
    /// </summary>
    public string ReportContainerName { get; set; } = "mailhealth-reports";

    /// <summary>
    /// How long one try of a request may wait for the service (<c>Retry.NetworkTimeout</c> of the
    /// clients). Default 10 s, 1 s-5 min: a table transaction is at most 4 MiB, so a try that is
    /// silent for 10 s is a hung connection, not a slow upload; the SDK's own default is 100 s.
    /// </summary>
    public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How many times the clients try a failed request again (<c>Retry.MaxRetries</c>). Default 3,
    /// 0-10: with <see cref="StorageClientOptions"/>'s backoff, a call that keeps failing fast
    /// gives up after about 4 s; a caller's deadline (an API request's, a run's) may end it sooner.
    /// </summary>
    public int MaxRetries { get; set; } = 3;
}
