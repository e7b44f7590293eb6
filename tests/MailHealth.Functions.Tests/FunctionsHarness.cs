using MailHealth.Storage.Configuration;
using MailHealth.Storage.Targets;
using MailHealth.Targets;
using MailHealth.Testing;
using MailHealth.Testing.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MailHealth.Functions.Tests;

/// <summary>
/// The worker host as Program.cs builds it (<see cref="MailHealthFunctionsApp.Build"/>), with the
/// app settings a deployment has, pointed at the peers: Azurite through <c>AzureWebJobsStorage</c>
/// with tables and queues of its own (a unique prefix), unbound as the resolver, the test CA
/// trusted, a signed webhook channel to a loopback receiver, and the API's read and admin keys.
/// Removes its tables and queues.
/// </summary>
public sealed class FunctionsHarness : IAsyncDisposable
{
    public const string WebhookSecret = "functions-signing-key-0123456789";
    public const string ReadKey = "functions-read-key-0123456789";
    public const string AdminKey = "functions-admin-key-0123456789";

    private FunctionsHarness(IHost host, HttpReceiver webhook)
    {
        Host = host;
        Webhook = webhook;
    }

    public IHost Host { get; }

    public IServiceProvider Services => Host.Services;

    public HttpReceiver Webhook { get; }

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    /// <summary>A function class as the worker creates it: constructor arguments from the app's container.</summary>
    public T Function<T>()
        where T : class => ActivatorUtilities.CreateInstance<T>(Services);

    /// <summary>The settings of a deployment on the peers; <paramref name="prefix"/> keeps tables and queues apart from other tests.</summary>
    public static Dictionary<string, string?> Settings(string prefix, Uri webhook) => new(Peers.LoopbackNetworkSettings())
    {
        [FunctionsSettings.StorageConnection] = Peers.AzuriteConnectionString,
        [FunctionsSettings.ScheduleSetting] = FunctionsSettings.DefaultSchedule,
        [FunctionsSettings.ProbeQueueSetting] = prefix + "-probes",
        [FunctionsSettings.NotificationQueueSetting] = prefix + "-notifications",
        [FunctionsSettings.ReportQueueSetting] = prefix + "-reports",
        ["MailHealth:Storage:ReportContainerName"] = prefix + "-reports",
        ["MailHealth:Storage:TablePrefix"] = prefix,
        ["MailHealth:Dns:Servers:0"] = RecursivePeer.Endpoint.ToString(),
        ["MailHealth:Checks:TrustRootsFile"] = Peers.CaFile,
        ["MailHealth:Checks:ConnectTimeout"] = "00:00:03",
        ["MailHealth:Checks:GreetingTimeout"] = "00:00:05",
        ["MailHealth:Checks:CommandTimeout"] = "00:00:05",
        ["MailHealth:Checks:TlsTimeout"] = "00:00:05",
        ["MailHealth:Checks:ProbeDeadline"] = "00:00:20",
        ["MailHealth:Checks:HeloName"] = "probe.mailhealth.test",
        ["MailHealth:Notifications:Channels:ops:Type"] = "Webhook",
        ["MailHealth:Notifications:Channels:ops:Url"] = webhook.ToString(),
        ["MailHealth:Notifications:Channels:ops:Secret"] = WebhookSecret,
        ["MailHealth:Notifications:Channels:ops:Events:0"] = "Alerts",
        ["MailHealth:Api:ReadKeys:0"] = ReadKey,
        ["MailHealth:Api:AdminKeys:0"] = AdminKey,
    };

    public static async Task<FunctionsHarness> StartAsync(TimeProvider? time = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var prefix = "f" + Guid.NewGuid().ToString("N")[..12];
        var webhook = new HttpReceiver();
        var values = Settings(prefix, webhook.Url());
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var host = MailHealthFunctionsApp.Build(
            [],
            configuration => configuration.AddInMemoryCollection(values),
            services =>
            {
                if (time is not null)
                {
                    services.AddSingleton(time);
                }
            });
        await host.Services.GetRequiredService<StorageInitializer>().InitializeAsync();
        return new FunctionsHarness(host, webhook);
    }

    /// <summary>Stores a target of the peers' zones (port 25 only, the test blocklist).</summary>
    public async Task<Target> AddTargetAsync(string id, string domain, bool enabled = true)
    {
        var target = TargetValidator.Validate(new TargetDefinition
        {
            Id = id,
            Domain = domain,
            Ports = ["25"],
            Dnsbl = ["bl.rep.test"],
            Enabled = enabled,
        }).Target!;
        await Get<TargetStore>().UpsertAsync(target);
        return target;
    }

    public async ValueTask DisposeAsync()
    {
        var account = Get<StorageAccount>();
        await PeerStorage.DeleteAsync(account);

        Host.Dispose();
        await Webhook.DisposeAsync();
    }
}
