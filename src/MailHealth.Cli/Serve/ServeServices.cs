using System.Globalization;
using MailHealth.Cli.Serve.Metrics;
using MailHealth.Monitor;
using MailHealth.Monitor.Api;
using MailHealth.Monitor.Scheduling;
using MailHealth.Settings;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MailHealth.Cli.Serve;

/// <summary>
/// What <c>serve</c> runs: the monitor and its API as the Functions app has them, the schedules
/// on its own clock, a worker draining the queues, and the Prometheus metrics.
/// </summary>
internal static class ServeServices
{
    public static IServiceCollection AddServe(this IServiceCollection services, IConfiguration configuration, ServeOptions options)
    {
        services.AddSingleton(options.Time ?? TimeProvider.System);
        services.AddMailHealthMonitor(configuration);
        services.AddMailHealthApi(configuration);
        services.AddMailHealthSchedule(configuration, ScheduleTimers.InProcess);
        services.AddValidatedSettings<ServeSettings>(configuration, ServeSettings.Section, ServeSettings.Validate);
        services.Configure<HostOptions>(host => host.ShutdownTimeout = ShutdownTimeout(configuration) + TimeSpan.FromSeconds(10));

        services.AddSingleton<WorkSignal>();
        services.AddSingleton(_ => Prometheus.Metrics.NewCustomRegistry());
        services.AddSingleton<FleetMetrics>();
        services.AddSingleton<ProcessMetrics>();
        services.AddHostedService<QueueWorkerService>();
        services.AddServeJobs();
        return services;
    }

    /// <summary>
    /// The worker's own bound abandons the work in hand; the host's only has to outlast it. Read
    /// raw here (HostOptions are built before validation reports a bad value, which it then does).
    /// </summary>
    private static TimeSpan ShutdownTimeout(IConfiguration configuration) =>
        TimeSpan.TryParse(configuration[ServeSettings.Section + ":" + nameof(ServeSettings.ShutdownTimeout)], CultureInfo.InvariantCulture, out var bound)
            && bound > TimeSpan.Zero && bound <= TimeSpan.FromMinutes(10) ? bound : new ServeSettings().ShutdownTimeout;
}
