using Azure.Core;
using MailHealth.Storage.Availability;

namespace MailHealth.Storage.Configuration;

/// <summary>
/// How the table and queue clients retry and time out, set on purpose rather than left at the
/// SDK's defaults (4 tries of up to 100 s each: an API request that waited 405 s on a frozen
/// store), and the policy that turns what is left after the retries into
/// <see cref="StorageUnavailableException"/>.
/// </summary>
public static class StorageClientOptions
{
    /// <summary>The first backoff: a busy or restarting service usually answers again within a second.</summary>
    public static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// The longest backoff: 0.5, 1, 2 s with the default 3 retries; more retries never wait more
    /// than 4 s each, since the callers' deadlines, not long sleeps, bound how long they wait in all.
    /// </summary>
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(4);

    /// <summary>Sets <paramref name="client"/>'s retry from <paramref name="options"/> and adds the failure policy.</summary>
    internal static T Configure<T>(T client, StorageOptions options, StorageAvailability availability)
        where T : ClientOptions
    {
        // Exponential (with the SDK's jitter): processes that failed together do not retry together.
        client.Retry.Mode = RetryMode.Exponential;
        client.Retry.MaxRetries = options.MaxRetries;
        client.Retry.Delay = RetryDelay;
        client.Retry.MaxDelay = MaxRetryDelay;
        client.Retry.NetworkTimeout = options.NetworkTimeout;
        // Per call: before the retry policy, so it judges the outcome of all the tries.
        client.AddPolicy(new StorageFailurePolicy(availability), HttpPipelinePosition.PerCall);
        return client;
    }
}
