using MailHealth.Cli.Serve;
using MailHealth.Storage.Configuration;
using MailHealth.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MailHealth.Cli.Tests.Serve;

/// <summary>
/// <c>serve</c>'s host in-process on a free loopback port, on the peers: Azurite with tables and
/// queues of its own (a unique prefix, removed at the end), unbound as the resolver, the test CA
/// trusted, short probe deadlines.
/// </summary>
internal sealed class ServeHarness : IAsyncDisposable
{
    public const string ReadKey = "serve-read-key-0123456789";
    public const string AdminKey = "serve-admin-key-0123456789";

    private readonly string directory;
    private readonly bool ownsStorage;

    private ServeHarness(ServeHost host, string directory, string prefix, bool ownsStorage)
    {
        Host = host;
        this.directory = directory;
        this.ownsStorage = ownsStorage;
        Prefix = prefix;
        Http = new HttpClient { BaseAddress = new Uri(host.Addresses[0]) };
        Read = new HttpClient { BaseAddress = new Uri(host.Addresses[0]) };
        Read.DefaultRequestHeaders.Add("x-functions-key", ReadKey);
    }

    public ServeHost Host { get; }

    public string Prefix { get; }

    /// <summary>A client without a key (metrics, health).</summary>
    public HttpClient Http { get; }

    /// <summary>A client sending the read key.</summary>
    public HttpClient Read { get; }

    public T Get<T>()
        where T : notnull => Host.Services.GetRequiredService<T>();

    /// <summary>The in-process schedule's job (<c>Schedule</c> or <c>Purge</c>).</summary>
    public CronJobService Job(string name) => Host.Services.GetServices<IHostedService>().OfType<CronJobService>().Single(j => j.Name == name);

    /// <summary>
    /// Starts serve with a config file holding <paramref name="targetsJson"/> (the JSON array of
    /// targets), on storage of its own, or on that of <paramref name="sharing"/> (another process
    /// on the same account; the first one removes the storage).
    /// </summary>
    public static async Task<ServeHarness> StartAsync(string targetsJson, TimeProvider? time = null, IReadOnlyDictionary<string, string?>? settings = null, ServeHarness? sharing = null)
    {
        var prefix = sharing?.Prefix ?? PeerStorage.UniquePrefix('s');
        var directory = Directory.CreateTempSubdirectory("serve-").FullName;
        var config = Path.Combine(directory, "serve.json");
        await File.WriteAllTextAsync(config, $$"""{ "targets": {{targetsJson}} }""");
        var values = PeerStorage.Settings(prefix);
        var harness = new Dictionary<string, string?>
        {
            ["MailHealth:Checks:TrustRootsFile"] = Peers.CaFile,
            ["MailHealth:Checks:ConnectTimeout"] = "00:00:03",
            ["MailHealth:Checks:GreetingTimeout"] = "00:00:05",
            ["MailHealth:Checks:CommandTimeout"] = "00:00:05",
            ["MailHealth:Checks:TlsTimeout"] = "00:00:05",
            ["MailHealth:Checks:ProbeDeadline"] = "00:00:20",
            ["MailHealth:Checks:HeloName"] = "probe.mailhealth.test",
            ["MailHealth:Serve:WorkerIdlePause"] = "00:00:00.200",
            ["MailHealth:Api:ReadKeys:0"] = ReadKey,
            ["MailHealth:Api:AdminKeys:0"] = AdminKey,
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in harness.Concat(Peers.LoopbackNetworkSettings()).Concat(settings ?? new Dictionary<string, string?>()))
        {
            values[key] = value;
        }

        var host = await ServeHost.CreateAsync(new ServeOptions { ConfigFile = config, Urls = "http://127.0.0.1:0", Time = time, Settings = values }, CancellationToken.None);
        try
        {
            await host.StartAsync(CancellationToken.None);
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }

        return new ServeHarness(host, directory, prefix, ownsStorage: sharing is null);
    }

    /// <summary>Waits (polling, bounded) until <paramref name="condition"/> holds; fails the test when it never does.</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T?>> condition, string what)
        where T : class
    {
        for (var attempt = 0; attempt < 600; attempt++)
        {
            if (await condition() is { } value)
            {
                return value;
            }

            await Task.Delay(100);
        }

        throw new Xunit.Sdk.XunitException($"never happened: {what}");
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        Read.Dispose();
        await Host.StopAsync(CancellationToken.None);
        if (ownsStorage)
        {
            var account = Host.Services.GetRequiredService<StorageAccount>();
            await PeerStorage.DeleteAsync(account);
        }

        await Host.DisposeAsync();
        Directory.Delete(directory, recursive: true);
    }
}
