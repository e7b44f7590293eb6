using MailHealth.Cli.Serve.Metrics;
using MailHealth.Monitor.Dkim;
using MailHealth.Monitor.ReceiverReports.Mailbox;
using MailHealth.Monitor.Retention;
using MailHealth.Monitor.Scheduling;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MailHealth.Cli.Serve;

/// <summary>
/// <c>serve</c>'s scheduled jobs on its own clock, where the Functions app has timer triggers:
/// <c>Schedule</c> (the probe schedule's tick, then the worker is woken) and <c>Purge</c> (the
/// retention purge), <c>DkimSweep</c> (the daily DKIM selector sweep) and <c>Mailbox</c> (the
/// reports mailbox poll, also at start), at the times of <see cref="ScheduleSettings"/>; each occurrence counted in
/// <see cref="ProcessMetrics"/>, done or failed.
/// </summary>
internal static class ServeJobs
{
    public const string Schedule = "Schedule";

    public const string Purge = "Purge";

    public const string DkimSweep = "DkimSweep";

    public const string Mailbox = "Mailbox";

    public static IServiceCollection AddServeJobs(this IServiceCollection services)
    {
        services.AddSingleton<IHostedService>(sp => Job(sp, Schedule, s => s.Probes, sp.GetRequiredService<IOptions<ServeSettings>>().Value.ScheduleOnStart, async (s, ct) =>
        {
            await s.GetRequiredService<ProbeScheduler>().ScheduleAsync(ct).ConfigureAwait(false);
            s.GetRequiredService<WorkSignal>().Notify();
        }));
        services.AddSingleton<IHostedService>(sp => Job(sp, Purge, s => s.Purge, runOnStart: false, async (s, ct) =>
        {
            var purged = await s.GetRequiredService<RetentionService>().PurgeAsync(ct).ConfigureAwait(false);
            ServeLog.Purged(s.GetRequiredService<ILogger<CronJobService>>(), purged.RunEntities, purged.ChangeEvents, purged.Notifications);
        }));
        services.AddSingleton<IHostedService>(sp => Job(sp, DkimSweep, s => s.DkimSweep, runOnStart: false, async (s, ct) =>
            await s.GetRequiredService<DkimSweepService>().SweepDueAsync(ct).ConfigureAwait(false)));
        // Ticks without a mailbox too: the poll returns at once then, and says so in the metrics.
        services.AddSingleton<IHostedService>(sp => Job(sp, Mailbox, s => s.Mailbox, runOnStart: true, async (s, ct) =>
            await s.GetRequiredService<MailboxPoller>().PollAsync(ct).ConfigureAwait(false)));
        return services;
    }

    private static CronJobService Job(
        IServiceProvider services, string name, Func<ScheduleSettings, CronSchedule?> schedule, bool runOnStart, Func<IServiceProvider, CancellationToken, Task> job)
    {
        var metrics = services.GetRequiredService<ProcessMetrics>();
        // Hosted services are built when the host starts, after every setting was validated.
        var cron = schedule(services.GetRequiredService<IOptions<ScheduleSettings>>().Value)
            ?? throw new InvalidOperationException($"the {name} schedule was not validated before the host started");
        return new CronJobService(
            name,
            cron,
            runOnStart,
            async ct =>
            {
                try
                {
                    await job(services, ct).ConfigureAwait(false);
                    metrics.Ticked(name, succeeded: true);
                }
                catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    metrics.Ticked(name, succeeded: false);
                    throw;
                }
            },
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<ILogger<CronJobService>>());
    }
}
