using MailHealth.Cli.Serve.Metrics;
using MailHealth.Monitor;
using MailHealth.Monitor.Api;
using MailHealth.Monitor.Availability;
using MailHealth.Monitor.Dashboard;
using MailHealth.Storage.Availability;
using MailHealth.Storage.Limits;
using MailHealth.Storage.Targets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

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
        ServeConfiguration.Apply(builder.Configuration, options, file);
        ConfigureWebHost(builder, options);
        builder.Services.AddServe(builder.Configuration, options);

        var app = builder.Build();
        var problems = StartupErrors.Collect(app.Services);
        if (problems.Count > 0)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw new UsageException(string.Join('\n', problems));
        }

        MapEndpoints(app);
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

        // Before listening: serve stops (exit 1) when storage cannot be reached within the monitor's storage deadline.
        await Services.GetRequiredService<StorageStartup>().InitializeAsync(cancellationToken).ConfigureAwait(false);
        if (File is { Targets.Count: > 0 } file)
        {
            var store = Services.GetRequiredService<TargetStore>();
            var deadline = Services.GetRequiredService<StorageDeadline>();
            var limit = Services.GetRequiredService<IOptions<MonitorSettings>>().Value.StorageDeadline;
            // The deadline is storage's to answer each transaction, not the whole file's: a fleet
            // of ten thousand targets is a hundred transactions.
            foreach (var chunk in file.Targets.Chunk(TableLimits.MaxBatchOperations))
            {
                await deadline.RunAsync(limit, ct => store.UpsertAllAsync(chunk, ct), cancellationToken).ConfigureAwait(false);
            }

            ServeLog.TargetsSeeded(Services.GetRequiredService<ILogger<ServeHost>>(), file.Targets.Count, file.Path);
        }

        await App.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task StopAsync(CancellationToken cancellationToken) => App.StopAsync(cancellationToken);

    public ValueTask DisposeAsync() => App.DisposeAsync();

    /// <summary>Kestrel on <c>--urls</c> (or the <c>Urls</c> setting), and the console log: one line per event, or JSON with <c>Logging:Console:FormatterName=json</c>.</summary>
    private static void ConfigureWebHost(WebApplicationBuilder builder, ServeOptions options)
    {
        builder.WebHost.UseUrls(options.Urls ?? builder.Configuration["Urls"] ?? DefaultUrls);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole();
        builder.Logging.KeepKeysOutOfLogs();
        builder.Services.PostConfigure<JsonConsoleFormatterOptions>(json => json.TimestampFormat = json.TimestampFormat?.TrimEnd());
    }

    /// <summary><c>/metrics</c>, the API (its keys checked by the application, <c>MailHealth:Api</c>, as in the Functions app) and the dashboard.</summary>
    private static void MapEndpoints(WebApplication app)
    {
        app.MapMetricsEndpoint("/metrics");
        app.MapMailHealthApi();
        app.MapMailHealthDashboard();
    }
}
