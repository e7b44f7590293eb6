using MailHealth.Storage.Availability;
using MailHealth.Storage.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MailHealth.Monitor.Availability;

/// <summary>
/// The creation of the tables and queues at start-up (<see cref="StorageInitializer"/>), and
/// whether it is done. <c>serve</c> does it once before it listens and exits when storage cannot
/// be reached; the Functions worker must start whatever storage does (a transient error, a role
/// assignment not propagated yet), so it tries in the background, backing off, for a bounded
/// time, and the health says so meanwhile.
/// </summary>
public sealed partial class StorageStartup(
    StorageInitializer initializer,
    StorageDeadline deadline,
    IOptions<MonitorSettings> settings,
    TimeProvider time,
    ILogger<StorageStartup> logger)
{
    /// <summary>The first wait after a failed attempt; each next one doubles, up to <see cref="MaxRetryDelay"/>.</summary>
    public static readonly TimeSpan FirstRetryDelay = TimeSpan.FromSeconds(2);

    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long the background attempts go on: an Azure role assignment can take ten minutes to
    /// take effect, so twice that. After it, the health keeps saying why until the app restarts.
    /// </summary>
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(20);

    private volatile string? problem;
    private volatile bool initialized;

    /// <summary>Whether an attempt of this process created (or found) the tables and queues.</summary>
    public bool Initialized => initialized;

    /// <summary>Why they may not exist: the last attempt's failure; null before any attempt and after one succeeded.</summary>
    public string? Problem => problem;

    /// <summary>One attempt, within <see cref="MonitorSettings.StorageDeadline"/>; <see cref="StorageUnavailableException"/> when storage did not let it.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        try
        {
            await deadline.RunAsync(settings.Value.StorageDeadline, initializer.InitializeAsync, cancellationToken).ConfigureAwait(false);
            initialized = true;
            problem = null;
        }
        catch (StorageUnavailableException e)
        {
            problem = e.Message;
            throw;
        }
    }

    /// <summary>Attempts until one succeeds or <see cref="GiveUpAfter"/> has passed, backing off between them; throws only when cancelled.</summary>
    public async Task InitializeWithRetriesAsync(CancellationToken cancellationToken)
    {
        var giveUpAt = time.GetUtcNow() + GiveUpAfter;
        var delay = FirstRetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await InitializeAsync(cancellationToken).ConfigureAwait(false);
                LogInitialized(logger, attempt);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Anything else (a table still being deleted, say) is worth the same retries: the
                // worker must not stop for it.
                var reason = e is StorageUnavailableException ? e.Message : "the tables and queues could not be created (see the log)";
                if (time.GetUtcNow() + delay >= giveUpAt)
                {
                    problem = $"{reason}; gave up after {attempt} attempts in {GiveUpAfter.TotalMinutes:0} min: restart the app once storage is reachable";
                    LogGaveUp(logger, attempt, reason, e);
                    return;
                }

                problem = reason;
                LogRetry(logger, attempt, reason, delay, e);
            }

            await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
        }
    }

    [LoggerMessage(EventId = 2220, Level = LogLevel.Information, Message = "Storage tables and queues ready (attempt {Attempt})")]
    private static partial void LogInitialized(ILogger logger, int attempt);

    [LoggerMessage(EventId = 2221, Level = LogLevel.Warning, Message = "Storage could not be initialized (attempt {Attempt}): {Reason}; trying again in {Delay}")]
    private static partial void LogRetry(ILogger logger, int attempt, string reason, TimeSpan delay, Exception exception);

    [LoggerMessage(EventId = 2222, Level = LogLevel.Error, Message = "Storage could not be initialized after {Attempts} attempts: {Reason}; giving up until the app restarts")]
    private static partial void LogGaveUp(ILogger logger, int attempts, string reason, Exception exception);
}
