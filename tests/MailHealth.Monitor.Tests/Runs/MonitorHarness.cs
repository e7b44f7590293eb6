using System.Globalization;
using MailHealth.Checks;
using MailHealth.Monitor.Caching;
using MailHealth.Monitor.Queues;
using MailHealth.Monitor.Runs;
using MailHealth.Notifications;
using MailHealth.Storage.Configuration;
using MailHealth.Storage.Queues;
using MailHealth.Storage.Targets;
using MailHealth.Targets;
using MailHealth.Testing;
using MailHealth.Testing.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MailHealth.Monitor.Tests.Runs;

/// <summary>
/// The whole monitor as a host composes it (<c>AddMailHealthMonitor</c>), on the peers: Azurite
/// with tables and queues of its own (a unique prefix), unbound as the resolver, the test CA
/// trusted, and a signed webhook channel to a loopback receiver. Removes its tables and queues.
/// </summary>
public sealed class MonitorHarness : IAsyncDisposable
{
    public const string WebhookSecret = "harness-signing-key-0123456789";

    private MonitorHarness(ServiceProvider services, HttpReceiver webhook)
    {
        Services = services;
        Webhook = webhook;
    }

    public ServiceProvider Services { get; }

    public HttpReceiver Webhook { get; }

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    public static async Task<MonitorHarness> StartAsync(
        IReadOnlyDictionary<string, string?>? settings = null,
        TimeProvider? time = null,
        Action<IServiceCollection>? configure = null)
    {
        var prefix = PeerStorage.UniquePrefix();
        var webhook = new HttpReceiver();
        var values = Settings(prefix, webhook.Url());
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var collection = new ServiceCollection();
        AddMonitor(collection, new ConfigurationBuilder().AddInMemoryCollection(values).Build(), time);
        configure?.Invoke(collection);
        var services = collection.BuildServiceProvider();
        services.GetRequiredService<IStartupValidator>().Validate();
        await services.GetRequiredService<StorageInitializer>().InitializeAsync();
        return new MonitorHarness(services, webhook);
    }

    /// <summary>The settings of a monitor on the peers: its own tables and queues, unbound, a signed webhook to <paramref name="webhook"/>.</summary>
    public static Dictionary<string, string?> Settings(string prefix, Uri webhook)
    {
        var settings = PeerStorage.Settings(prefix);
        settings["MailHealth:Dns:UseCache"] = "false";
        settings["MailHealth:Notifications:Channels:ops:Type"] = "Webhook";
        settings["MailHealth:Notifications:Channels:ops:Url"] = webhook.ToString();
        settings["MailHealth:Notifications:Channels:ops:Secret"] = WebhookSecret;
        settings["MailHealth:Notifications:Channels:ops:Events:0"] = "Alerts";
        settings["MailHealth:Notifications:Channels:ops:Events:1"] = "Changes";
        settings["MailHealth:Notifications:Retry:InitialBackoff"] = "00:00:01";
        settings["MailHealth:Notifications:Retry:MaxBackoff"] = "00:00:02";
        settings["MailHealth:Notifications:Retry:MaxAttempts"] = "3";
        return settings;
    }

    /// <summary>The monitor as a host registers it, with the peers' short deadlines and test CA.</summary>
    public static void AddMonitor(IServiceCollection services, IConfiguration configuration, TimeProvider? time = null)
    {
        services.AddSingleton(time ?? TimeProvider.System);
        services.AddSingleton<IOptions<CheckOptions>>(Options.Create(Peers.Options()));
        services.AddMailHealthMonitor(configuration);
    }

    /// <summary>Stores a target of the peers' zones (only the given ports, the test blocklist).</summary>
    public async Task<Target> AddTargetAsync(string id, string domain, string ports = "25", IReadOnlyList<string>? tags = null, IReadOnlyList<string>? dnsbl = null)
    {
        var target = TargetValidator.Validate(new TargetDefinition
        {
            Id = id,
            Domain = domain,
            Ports = [.. ports.Split(',')],
            Dnsbl = [.. dnsbl ?? ["bl.rep.test"]],
            Tags = tags is null ? null : [.. tags],
        }).Target!;
        await Get<TargetStore>().UpsertAsync(target);
        // As the API's PUT does: this process's copies of the target lists go.
        Get<WriteClock>().AddedOrRemoved(id);
        return target;
    }

    public Task<TargetRunOutcome> RunAsync(string targetId, DateTimeOffset slot) =>
        Get<TargetRunService>().RunAsync(new ProbeRequest(targetId, slot), CancellationToken.None);

    public Task<int> DrainAsync() => Get<QueueWorker>().DrainAsync(CancellationToken.None);

    /// <summary>An alert notification for channel <c>ops</c>, to put in the outbox directly.</summary>
    public static Notification Notification(string id) => new()
    {
        Id = id,
        Channel = "ops",
        Kind = NotificationKind.AlertOpened,
        TargetId = "shop",
        Domain = "shop.example",
        Title = "[CRITICAL] shop.example: TLS_CERT_EXPIRED on mx.shop.example:25 opened",
        Text = "the certificate expired",
        At = Slot(0),
    };

    /// <summary>Slot <paramref name="index"/> of yesterday (from now, never a calendar date), five minutes apart.</summary>
    public static DateTimeOffset Slot(int index) => TestClock.Yesterday.AddMinutes(5 * index);

    /// <summary>Whether disposing deletes the monitor's tables, queues and container (false for a second monitor on the storage of another).</summary>
    public bool OwnsStorage { get; set; } = true;

    public async ValueTask DisposeAsync()
    {
        if (OwnsStorage)
        {
            await PeerStorage.DeleteAsync(Services.GetRequiredService<StorageAccount>());
        }

        await Services.DisposeAsync();
        await Webhook.DisposeAsync();
    }
}
