using MailHealth.Storage.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace MailHealth.Functions;

/// <summary>
/// One storage account for the host and the worker: the queue triggers read from the
/// <c>AzureWebJobsStorage</c> connection, so <c>MailHealth:Storage</c> takes its account from the
/// same settings (a connection string, or <c>__accountName</c> / <c>__tableServiceUri</c>,
/// <c>__queueServiceUri</c> and <c>__blobServiceUri</c> with <c>__clientId</c> for a user-assigned
/// identity) and may not name another one; its queue names come from the settings the triggers
/// resolve (<see cref="FunctionsSettings.ProbeQueueSetting"/>, <see cref="FunctionsSettings.NotificationQueueSetting"/>,
/// <see cref="FunctionsSettings.ReportQueueSetting"/>).
/// Anything else is a start-up error naming the setting, never a worker writing where no trigger listens.
/// </summary>
internal sealed class FunctionsStorage(IConfiguration configuration) : IPostConfigureOptions<StorageOptions>, IValidateOptions<StorageOptions>
{
    private const string Connection = FunctionsSettings.StorageConnection;

    /// <summary>The settings of <c>MailHealth:Storage</c> the Functions app sets itself from the triggers' settings: setting them is an error.</summary>
    public static IReadOnlyList<string> DerivedSettings { get; } =
    [
        nameof(StorageOptions.ConnectionString),
        nameof(StorageOptions.AccountName),
        nameof(StorageOptions.TableServiceUri),
        nameof(StorageOptions.QueueServiceUri),
        nameof(StorageOptions.BlobServiceUri),
        nameof(StorageOptions.ManagedIdentityClientId),
        nameof(StorageOptions.ProbeQueueName),
        nameof(StorageOptions.NotificationQueueName),
        nameof(StorageOptions.ReportQueueName),
    ];

    public void PostConfigure(string? name, StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var queue in FunctionsSettings.Queues)
        {
            if (configuration[queue.AppSetting] is { Length: > 0 } queueName)
            {
                queue.Set(options, queueName);
            }
        }

        if (configuration[Connection] is { Length: > 0 } connectionString)
        {
            options.ConnectionString = connectionString;
            return;
        }

        var identity = configuration.GetSection(Connection);
        if (identity[FunctionsSettings.AccountName] is { Length: > 0 } account)
        {
            options.AccountName = account;
        }
        else
        {
            options.TableServiceUri = Uri(identity[FunctionsSettings.TableServiceUri]);
            options.QueueServiceUri = Uri(identity[FunctionsSettings.QueueServiceUri]);
            options.BlobServiceUri = Uri(identity[FunctionsSettings.BlobServiceUri]);
        }

        options.ManagedIdentityClientId = identity[FunctionsSettings.ClientId] is { Length: > 0 } id ? id : null;
    }

    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        foreach (var setting in DerivedSettings)
        {
            if (configuration[$"{StorageOptions.SectionPath}:{setting}"] is not null)
            {
                errors.Add($"{StorageOptions.SectionPath}:{setting}: the Functions app takes this from the settings its triggers read ({Connection}, {FunctionsSettings.ProbeQueueSetting}, {FunctionsSettings.NotificationQueueSetting}, {FunctionsSettings.ReportQueueSetting}); remove it");
            }
        }

        var identity = configuration.GetSection(Connection);
        if (string.IsNullOrEmpty(configuration[Connection]) && identity[FunctionsSettings.AccountName] is null
            && (identity[FunctionsSettings.TableServiceUri] is null || identity[FunctionsSettings.QueueServiceUri] is null || identity[FunctionsSettings.BlobServiceUri] is null))
        {
            errors.Add($"{Connection}: not set; give a connection string, or {Connection}__accountName (or __tableServiceUri, __queueServiceUri and __blobServiceUri) with __credential managedidentity and __clientId");
        }

        foreach (var queue in FunctionsSettings.Queues)
        {
            if (string.IsNullOrWhiteSpace(configuration[queue.AppSetting]))
            {
                errors.Add($"{queue.AppSetting}: not set; the {queue.Trigger} trigger listens on the queue it names (the template sets it)");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static Uri? Uri(string? value) =>
        System.Uri.TryCreate(value, UriKind.Absolute, out var uri) ? uri : null;
}
