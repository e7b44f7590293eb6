using System.Globalization;
using MailHealth.Cli.Serve.Metrics;
using MailHealth.Monitor;
using MailHealth.Monitor.Api;
using MailHealth.Monitor.Dashboard;
using MailHealth.Monitor.Dkim;
using MailHealth.Monitor.Retention;
using MailHealth.Monitor.Scheduling;
using MailHealth.Settings;
using MailHealth.Storage.Configuration;
using MailHealth.Storage.Targets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Prometheus;

namespace MailHealth.Cli.Serve;

/// <summary>
/// The whole monitor in one process (<c>mailhealth serve</c>): the monitor's services on
/// storage, the in-process schedule, purge and DKIM selector sweep, a worker draining the shared queues, Prometheus
/// metrics at <c>/metrics</c> and the HTTP API, on Kestrel. Composition only: what it runs lives
/// in MailHealth.Monitor, the same services the Functions app calls.
/// </summary>
public sealed class ServeHost : IAsyncDisposable
{
    public const string DefaultUrls = "http://127.0.0.1:8080";

    /// <summary>Used when no storage is configured: the local Azurite's well-known development account.</summary>
    public const string DevelopmentStorage = "UseDevelopmentStorage=true";

    /// <summary>
    /// Defaults a configuration can override. The request logs of ASP.NET Core and HttpClient are
    /// kept at Warning because their Information lines carry URLs: a <c>code</c> key in a query
    /// string, a Slack or Teams webhook URL (itself a secret). The lines that carry a request's URL
    /// stay at Warning whatever the configuration says (<see cref="ApiRequestLogging"/>).
    /// </summary>
    private static readonly Dictionary<string, string?> Defaults = new()
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
        ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Warning",
        ["Logging:Console:FormatterName"] = "simple",
        ["Logging:Console:FormatterOptions:SingleLine"] = "true",
        ["Logging:Console:FormatterOptions:UseUtcTimestamp"] = "true",
        ["Logging:Console:FormatterOptions:TimestampFormat"] = "yyyy-MM-ddTHH:mm:ss.fffZ ",
        [ServeSettings.ScheduleSetting] = ServeSettings.DefaultSchedule,
        [ServeSettings.PurgeScheduleSetting] = ServeSettings.DefaultPurgeSchedule,
        [ServeSettings.DkimSweepScheduleSetting] = ServeSettings.DefaultDkimSweepSchedule,
    };

    private ServeHost(WebApplication app, ServeConfigFile? file)
    {
        App = app;
        File = file;
    }

    public WebApplication App { get; }

    public IServiceProvider Services => App.Services;

    /// <summary>The config file and its targets (null without <c>--config</c>).</summary>
    public ServeConfigFile? File { get; }

    /// <summary>Where Kestrel listens, once started (a port 0 shows the port it got).</summary>
    public IReadOnlyList<string> Addresses =>
        [.. Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? []];

    /// <summary>Reads the config file, composes the host and validates every setting; a mistake is a <see cref="UsageException"/> naming each problem.</summary>
    public static async Task<ServeHost> CreateAsync(ServeOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var file = options.ConfigFile is { } path ? await ServeConfigFile.ReadAsync(path, cancellationToken).ConfigureAwait(false) : null;

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        var configuration = builder.Configuration;
        configuration.Sources.Clear();
        configuration.AddInMemoryCollection(Defaults);
        ServeConfigFile.AddSettings(configuration, file);
        if (options.Settings is { } settings)
        {
            configuration.AddInMemoryCollection(settings);
        }

        if (!StorageConfigured(configuration))
        {
            configuration.AddInMemoryCollection(new Dictionary<string, string?> { [StorageOptions.SectionPath + ":ConnectionString"] = DevelopmentStorage });
        }

        var schedule = ReadSchedule(configuration, ServeSettings.ScheduleSetting, out var scheduleProblem);
        var purgeSchedule = ReadSchedule(configuration, ServeSettings.PurgeScheduleSetting, out var purgeProblem);
        var dkimSweepSchedule = ReadSchedule(configuration, ServeSettings.DkimSweepScheduleSetting, out var dkimSweepProblem);
        if (schedule is null || purgeSchedule is null || dkimSweepSchedule is null)
        {
            throw new UsageException(string.Join('\n', new[] { scheduleProblem, purgeProblem, dkimSweepProblem }.Where(p => p.Length > 0)));
        }

        if (MonitorSettings.ReadInterval(configuration) is { } interval && schedule.MismatchWith(interval, ServeSettings.ScheduleSetting) is { } mismatch)
        {
            throw new UsageException(mismatch);
        }

        builder.WebHost.UseUrls(options.Urls ?? configuration["Urls"] ?? DefaultUrls);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);

        // One line per event, or JSON with Logging:Console:FormatterName=json (Defaults).
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole();
        builder.Logging.KeepKeysOutOfLogs();
        builder.Services.PostConfigure<JsonConsoleFormatterOptions>(json => json.TimestampFormat = json.TimestampFormat?.TrimEnd());

        var services = builder.Services;
        services.AddSingleton(options.Time ?? TimeProvider.System);
        services.AddMailHealthMonitor(configuration);
        services.AddMailHealthApi(configuration);
        services.AddValidatedSettings<ServeSettings>(configuration, ServeSettings.Section, ServeSettings.Validate);
        // The worker's own bound abandons the work in hand; the host's only has to outlast it. Read
        // raw here (HostOptions are built before validation reports a bad value, which it then does).
        var shutdown = TimeSpan.TryParse(configuration[ServeSettings.Section + ":" + nameof(ServeSettings.ShutdownTimeout)], CultureInfo.InvariantCulture, out var bound)
            && bound > TimeSpan.Zero && bound <= TimeSpan.FromMinutes(10) ? bound : new ServeSettings().ShutdownTimeout;
        services.Configure<HostOptions>(host => host.ShutdownTimeout = shutdown + TimeSpan.FromSeconds(10));

        services.AddSingleton<WorkSignal>();
        services.AddSingleton(_ => Prometheus.Metrics.NewCustomRegistry());
        services.AddSingleton<FleetMetrics>();
        services.AddSingleton<ProcessMetrics>();
        services.AddHostedService<QueueWorkerService>();
        services.AddSingleton<IHostedService>(sp => Job(sp, "Schedule", schedule, sp.GetRequiredService<IOptions<ServeSettings>>().Value.ScheduleOnStart, async (s, ct) =>
        {
            await s.GetRequiredService<ProbeScheduler>().ScheduleAsync(ct).ConfigureAwait(false);
            s.GetRequiredService<WorkSignal>().Notify();
        }));
        services.AddSingleton<IHostedService>(sp => Job(sp, "Purge", purgeSchedule, runOnStart: false, async (s, ct) =>
        {
            var purged = await s.GetRequiredService<RetentionService>().PurgeAsync(ct).ConfigureAwait(false);
            ServeLog.Purged(s.GetRequiredService<ILogger<CronJobService>>(), purged.RunEntities, purged.ChangeEvents, purged.Notifications);
        }));
        services.AddSingleton<IHostedService>(sp => Job(sp, "DkimSweep", dkimSweepSchedule, runOnStart: false, async (s, ct) =>
            await s.GetRequiredService<DkimSweepService>().SweepDueAsync(ct).ConfigureAwait(false)));

        var app = builder.Build();
        var problems = StartupValidation.Problems(app.Services);
        if (problems.Count == 0)
        {
            app.MapMetrics("/metrics", app.Services.GetRequiredService<CollectorRegistry>());
            try
            {
                // The API, its keys checked by the application (MailHealth:Api), as in the Functions app.
                app.MapMailHealthApi();
                app.MapMailHealthDashboard();
            }
            catch (OptionsValidationException e)
            {
                problems = [.. e.Failures];
            }
        }

        if (problems.Count > 0)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw new UsageException(string.Join('\n', problems));
        }

        return new ServeHost(app, file);
    }

    /// <summary>
    /// Creates the tables and queues, writes the config file's targets
    /// (an upsert: a target of the same id changed through the API is overwritten, others stay),
    /// then starts listening, the schedule and the worker.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Built now so that they count from the first run and serve the first scrape.
        _ = Services.GetRequiredService<ProcessMetrics>();
        _ = Services.GetRequiredService<FleetMetrics>();

        await Services.GetRequiredService<StorageInitializer>().InitializeAsync(cancellationToken).ConfigureAwait(false);
        if (File is { Targets.Count: > 0 } file)
        {
            var store = Services.GetRequiredService<TargetStore>();
            foreach (var target in file.Targets)
            {
                await store.UpsertAsync(target, cancellationToken).ConfigureAwait(false);
            }

            ServeLog.TargetsSeeded(Services.GetRequiredService<ILogger<ServeHost>>(), file.Targets.Count, file.Path);
        }

        await App.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task StopAsync(CancellationToken cancellationToken) => App.StopAsync(cancellationToken);

    public ValueTask DisposeAsync() => App.DisposeAsync();

    private static bool StorageConfigured(IConfiguration configuration)
    {
        var storage = configuration.GetSection(StorageOptions.SectionPath);
        return !string.IsNullOrEmpty(storage["ConnectionString"]) || !string.IsNullOrEmpty(storage["AccountName"])
            || !string.IsNullOrEmpty(storage["TableServiceUri"]) || !string.IsNullOrEmpty(storage["QueueServiceUri"]);
    }

    private static CronSchedule? ReadSchedule(IConfiguration configuration, string setting, out string problem)
    {
        var schedule = CronSchedule.TryParse(configuration[setting], out problem);
        problem = schedule is null ? $"{setting}: {problem}" : "";
        return schedule;
    }

    private static CronJobService Job(IServiceProvider services, string name, CronSchedule schedule, bool runOnStart, Func<IServiceProvider, CancellationToken, Task> job)
    {
        var metrics = services.GetRequiredService<ProcessMetrics>();
        return new CronJobService(
            name,
            schedule,
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
