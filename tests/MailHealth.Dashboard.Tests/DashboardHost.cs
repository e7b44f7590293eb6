using System.Collections.Concurrent;
using MailHealth.Checks;
using MailHealth.Monitor;
using MailHealth.Monitor.Api;
using MailHealth.Monitor.Dashboard;
using MailHealth.Monitor.Runs;
using MailHealth.Storage.Configuration;
using MailHealth.Storage.Queues;
using MailHealth.Storage.Targets;
using MailHealth.Targets;
using MailHealth.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MailHealth.Dashboard.Tests;

/// <summary>
/// The dashboard as <c>serve</c> hosts it: Kestrel on a loopback port with the keyed API and the
/// dashboard mapped, the monitor on the peers (unbound, the test CA) and tables and queues of its
/// own on Azurite (a unique prefix, removed at the end unless <c>keepStorage</c> says otherwise).
/// </summary>
public sealed class DashboardHost : IAsyncDisposable
{
    public const string ReadKey = "dashboard-read-key-0123456789";
    public const string AdminKey = "dashboard-admin-key-0123456789";

    private readonly WebApplication _app;
    private readonly bool _deleteStorage;

    private DashboardHost(WebApplication app, string prefix, bool deleteStorage)
    {
        _app = app;
        Prefix = prefix;
        _deleteStorage = deleteStorage;
        Address = new Uri(app.Urls.Single());
        Read = new HttpClient { BaseAddress = Address };
        Read.DefaultRequestHeaders.Add(ApiKeys.Header, ReadKey);
    }

    /// <summary>The dashboard's address (<c>http://127.0.0.1:PORT/</c>).</summary>
    public Uri Address { get; }

    /// <summary>The table and queue prefix of this host's storage.</summary>
    public string Prefix { get; }

    /// <summary>An API client with the read key.</summary>
    public HttpClient Read { get; }

    /// <summary>Every request this host answered, as the browser sent it (path and query), with the status it sent back on the wire.</summary>
    public ConcurrentQueue<(string PathAndQuery, int Status)> Answers { get; private init; } = new();

    public T Get<T>()
        where T : notnull => _app.Services.GetRequiredService<T>();

    /// <summary>
    /// Starts a host on <paramref name="prefix"/> (a new one by default). With
    /// <paramref name="createStorage"/> false the tables are not created: every read of storage fails,
    /// as when the account's tables were deleted under a running monitor.
    /// </summary>
    /// <param name="signIn">Entra ID sign-in in front of the host, as the Functions app may have it: the API trusts the principal it passes on.</param>
    public static async Task<DashboardHost> StartAsync(string? prefix = null, bool createStorage = true, PlatformSignInStandIn? signIn = null)
    {
        prefix ??= PeerStorage.UniquePrefix('d');
        var settings = PeerStorage.Settings(prefix);
        settings["MailHealth:Dns:UseCache"] = "false";
        settings["MailHealth:Api:ReadKeys:0"] = ReadKey;
        settings["MailHealth:Api:AdminKeys:0"] = AdminKey;

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IOptions<CheckOptions>>(Options.Create(Peers.Options()));
        builder.Services.AddMailHealthMonitor(builder.Configuration);
        builder.Services.AddMailHealthApi(builder.Configuration);
        if (signIn is not null)
        {
            builder.Services.AddSingleton<PlatformSignIn>();
        }

        var app = builder.Build();
        var answers = new ConcurrentQueue<(string PathAndQuery, int Status)>();
        app.Use(async (context, next) =>
        {
            await next(context);
            answers.Enqueue((context.Request.Path + context.Request.QueryString, context.Response.StatusCode));
        });
        if (signIn is not null)
        {
            app.Use(signIn.InvokeAsync);
        }

        app.MapMailHealthApi();
        app.MapMailHealthDashboard();
        if (createStorage)
        {
            await app.Services.GetRequiredService<StorageInitializer>().InitializeAsync();
        }

        await app.StartAsync();
        return new DashboardHost(app, prefix, deleteStorage: createStorage) { Answers = answers };
    }

    /// <summary>Stores a target of the peers' zones directly (only the given ports, the test blocklist).</summary>
    public async Task<Target> AddTargetAsync(string id, string domain, string ports, params string[] tags)
    {
        var target = TargetValidator.Validate(new TargetDefinition
        {
            Id = id,
            Domain = domain,
            Ports = [.. ports.Split(',')],
            Dnsbl = ["bl.rep.test"],
            Tags = tags.Length == 0 ? null : [.. tags],
        }).Target!;
        await Get<TargetStore>().UpsertAsync(target);
        return target;
    }

    /// <summary>Runs the target's checks against the peers and stores the run, as a queue message would.</summary>
    public Task<TargetRunOutcome> RunAsync(string targetId, DateTimeOffset slot) =>
        Get<TargetRunService>().RunAsync(new ProbeRequest(targetId, slot), CancellationToken.None);

    /// <summary>Stops answering (the listener closes), as when the monitor goes down under an open page.</summary>
    public Task StopAsync() => _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        Read.Dispose();
        if (_deleteStorage)
        {
            await PeerStorage.DeleteAsync(Get<StorageAccount>());
        }

        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
