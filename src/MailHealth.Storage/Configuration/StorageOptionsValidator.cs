using System.Text.RegularExpressions;
using MailHealth.Settings;
using Microsoft.Extensions.Options;

namespace MailHealth.Storage.Configuration;

/// <summary>Checks <see cref="StorageOptions"/> at start-up; every message names its configuration path.</summary>
public sealed partial class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    private const string Path = StorageOptions.SectionPath;

    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        var errors = Errors(options).ToList();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>Every problem with <paramref name="options"/>, as messages naming the setting.</summary>
    public static IEnumerable<string> Errors(StorageOptions options)
    {
        var hasConnectionString = !string.IsNullOrWhiteSpace(options.ConnectionString);
        var hasAccount = !string.IsNullOrWhiteSpace(options.AccountName);
        var hasUris = options.TableServiceUri is not null || options.QueueServiceUri is not null || options.BlobServiceUri is not null;
        var ways = (hasConnectionString ? 1 : 0) + (hasAccount ? 1 : 0) + (hasUris ? 1 : 0);
        if (ways == 0)
        {
            yield return $"{Path}: set ConnectionString, AccountName, or TableServiceUri, QueueServiceUri and BlobServiceUri";
        }
        else if (ways > 1)
        {
            yield return $"{Path}: set only one of ConnectionString, AccountName, or TableServiceUri, QueueServiceUri and BlobServiceUri";
        }

        if (hasUris && (options.TableServiceUri is null || options.QueueServiceUri is null || options.BlobServiceUri is null))
        {
            yield return $"{Path}: TableServiceUri, QueueServiceUri and BlobServiceUri go together; set all three";
        }

        foreach (var (setting, uri) in new[] { ("TableServiceUri", options.TableServiceUri), ("QueueServiceUri", options.QueueServiceUri), ("BlobServiceUri", options.BlobServiceUri) })
        {
            if (uri is not null && (!uri.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)))
            {
                yield return $"{Path}:{setting}: '{uri}' is not an absolute http(s) URI";
            }
        }

        if (hasAccount && !AccountNamePattern().IsMatch(options.AccountName!))
        {
            yield return $"{Path}:AccountName: '{options.AccountName}' is not a storage account name (3-24 lowercase letters and digits)";
        }

        if (!TablePrefixPattern().IsMatch(options.TablePrefix ?? ""))
        {
            yield return $"{Path}:TablePrefix: '{options.TablePrefix}' must be 1-40 letters and digits, starting with a letter";
        }

        string[] queues = [options.ProbeQueueName, options.NotificationQueueName, options.ReportQueueName];
        foreach (var (setting, queue) in new[] { ("ProbeQueueName", options.ProbeQueueName), ("NotificationQueueName", options.NotificationQueueName), ("ReportQueueName", options.ReportQueueName) })
        {
            // Queue names: 3-63 lowercase letters, digits and single hyphens; "-poison" is appended
            // for the poison queue, so leave room for it.
            if (queue is null || queue.Length is < 3 or > 56 || !QueueNamePattern().IsMatch(queue))
            {
                yield return $"{Path}:{setting}: '{queue}' must be 3-56 lowercase letters, digits and single hyphens, starting and ending with a letter or digit";
            }
        }

        if (queues.Distinct(StringComparer.Ordinal).Count() < queues.Length)
        {
            yield return $"{Path}: ProbeQueueName, NotificationQueueName and ReportQueueName must differ";
        }

        // Container names: the same rules as queue names, 3-63 characters.
        if (options.ReportContainerName is not { Length: >= 3 and <= 63 } container || !QueueNamePattern().IsMatch(container))
        {
            yield return $"{Path}:ReportContainerName: '{options.ReportContainerName}' must be 3-63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit";
        }

        var retry = new SettingErrors(Path);
        retry.Range(nameof(StorageOptions.NetworkTimeout), options.NetworkTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));
        retry.Range(nameof(StorageOptions.MaxRetries), options.MaxRetries, 0, 10);
        foreach (var error in retry.Errors)
        {
            yield return error;
        }
    }

    [GeneratedRegex("^[a-z0-9]{3,24}$")]
    private static partial Regex AccountNamePattern();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{0,39}$")]
    private static partial Regex TablePrefixPattern();

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9]))*$")]
    private static partial Regex QueueNamePattern();
}
