using System.Net.Http.Headers;
using MailHealth.Monitor.Api;
using MailHealth.Monitor.Runs;
using MailHealth.Monitor.Tests.Runs;
using MailHealth.Storage.Configuration;
using MailHealth.Storage.Queues;
using MailHealth.Storage.Targets;
using MailHealth.Targets;
using MailHealth.Testing;
using MailHealth.Testing.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MailHealth.Monitor.Tests.Api;

/// <summary>
/// The API as <c>serve</c> hosts it: Kestrel on a loopback port, the routes mapped with keys,
/// the monitor on the peers with storage of its own on Azurite. <see cref="Client"/> sends no
/// key; <see cref="Read"/> and <see cref="Admin"/> send one.
/// </summary>
public sealed class ApiHost : IAsyncDisposable
{
    public const string ReadKey = "read-key-0123456789abcdef";
    public const string AdminKey = "admin-key-0123456789abcdef";

    private readonly WebApplication _app;
    private readonly HttpReceiver _webhook;

    private ApiHost(WebApplication app, HttpReceiver webhook, Uri address)
    {
        _app = app;
        _webhook = webhook;
        Client = new HttpClient { BaseAddress = address };
        Read = Keyed(address, ReadKey);
        Admin = Keyed(address, AdminKey);
    }

    public IServiceProvider Services => _app.Services;

    public HttpClient Client { get; }

    public HttpClient Read { get; }

    public HttpClient Admin { get; }

    /// <summary>The receiver of the monitor's one channel, <c>ops</c> (a signed webhook).</summary>
    public HttpReceiver Webhook => _webhook;

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    public static async Task<ApiHost> StartAsync(TimeProvider? time = null)
    {
        var webhook = new HttpReceiver();
        var settings = MonitorHarness.Settings(PeerStorage.UniquePrefix(), webhook.Url());
        settings["MailHealth:Api:ReadKeys:0"] = ReadKey;
        settings["MailHealth:Api:AdminKeys:0"] = AdminKey;

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(settings);
        MonitorHarness.AddMonitor(builder.Services, builder.Configuration, time);
        builder.Services.AddMailHealthApi(builder.Configuration);
        var app = builder.Build();
        app.MapMailHealthApi();
        await app.Services.GetRequiredService<StorageInitializer>().InitializeAsync();
        await app.StartAsync();
        return new ApiHost(app, webhook, new Uri(app.Urls.Single()));
    }

    /// <summary>Stores a target directly (not through the API).</summary>
    public async Task<Target> AddTargetAsync(string id, string domain, string ports = "25")
    {
        var target = TargetValidator.Validate(new TargetDefinition { Id = id, Domain = domain, Ports = [.. ports.Split(',')], Dnsbl = ["bl.rep.test"] }).Target!;
        await Get<TargetStore>().UpsertAsync(target);
        return target;
    }

    /// <summary>Runs the target's checks against the peers and stores the run, as a queue message would.</summary>
    public Task<TargetRunOutcome> RunAsync(string targetId, DateTimeOffset slot) =>
        Get<TargetRunService>().RunAsync(new ProbeRequest(targetId, slot), CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Read.Dispose();
        Admin.Dispose();
        await PeerStorage.DeleteAsync(Get<StorageAccount>());
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _webhook.DisposeAsync();
    }

    private static HttpClient Keyed(Uri address, string key)
    {
        var client = new HttpClient { BaseAddress = address };
        client.DefaultRequestHeaders.Add(ApiKeys.Header, key);
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }
}
