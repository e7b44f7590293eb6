using System.Net;
using System.Security.Cryptography.X509Certificates;
using MailHealth.Checks;
using MailHealth.Composition;
using MailHealth.Dns;
using MailHealth.Fleet;
using MailHealth.Memory;
using MailHealth.Targets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MailHealth.Testing;

/// <summary>
/// Where the loopback peers started by eng/peers/peers.sh are: every address is in $MH_NET.0.0/16
/// (default 127.53), the state (keys, certificates, configs) under $MH_STATE (default .peers).
/// </summary>
public static class Peers
{
    private static readonly Lazy<string> Root = new(FindRepoRoot);

    public static string Net => Environment.GetEnvironmentVariable("MH_NET") is { Length: > 0 } net ? net : "127.53";

    public static string RepoRoot => Root.Value;

    public static string State => Environment.GetEnvironmentVariable("MH_STATE") is { Length: > 0 } state
        ? state
        : Path.Combine(RepoRoot, ".peers");

    /// <summary>The authoritative test DNS server (Knot).</summary>
    public static IPEndPoint Dns => new(Address(0, 53), 53);

    /// <summary>Azurite (eng/peers/start.d/60-azurite.sh): blob, queue and table endpoints on <c>$MH_NET.0.100</c>.</summary>
    public static IPAddress AzuriteAddress => Address(0, 100);

    /// <summary>
    /// A connection string for the peers' Azurite: the emulator's well-known development account
    /// and key (public, documented by Microsoft; not a secret) with explicit loopback endpoints.
    /// </summary>
    public static string AzuriteConnectionString => AzuriteConnectionStringAt(AzuriteAddress);

    /// <summary>The development account's connection string for an Azurite on <paramref name="address"/> (ports 10000-10002).</summary>
    public static string AzuriteConnectionStringAt(IPAddress address) =>
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
        "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
        $"BlobEndpoint=http://{address}:10000/devstoreaccount1;" +
        $"QueueEndpoint=http://{address}:10001/devstoreaccount1;" +
        $"TableEndpoint=http://{address}:10002/devstoreaccount1;";

    /// <summary>The peers' Azurite, with its queue endpoint reached through <paramref name="queues"/> (a proxy in front of it).</summary>
    public static string AzuriteConnectionStringWithQueuesAt(IPEndPoint queues) =>
        AzuriteConnectionString.Replace(
            $"QueueEndpoint=http://{AzuriteAddress}:10001/", $"QueueEndpoint=http://{queues}/", StringComparison.Ordinal);

    /// <summary>The address <c>$MH_NET.c.d</c>.</summary>
    public static IPAddress Address(int c, int d) => IPAddress.Parse($"{Net}.{c}.{d}");

    /// <summary>The test CA that signs every peer certificate.</summary>
    public static string CaFile => Path.Combine(State, "ca", "ca.pem");

    public static X509Certificate2Collection TestRoots()
    {
        var roots = new X509Certificate2Collection();
        roots.ImportFromPemFile(CaFile);
        return roots;
    }

    /// <summary>
    /// A resolver that asks only the test DNS server, without a cache so every test sees the zone
    /// as served. It asks again once after a silence, as the monitor's own resolver does
    /// (<see cref="DnsResolverOptions.Retries"/>): with the suites' tests all asking at once on two
    /// cores, a UDP answer can come late, and a test is about the zone, not about that.
    /// </summary>
    public static DnsResolver Resolver(TimeSpan? timeout = null) => new(new DnsResolverOptions
    {
        Servers = [Dns],
        Timeout = timeout ?? TimeSpan.FromSeconds(2),
        Retries = 1,
        UseCache = false,
    });

    /// <summary>
    /// The loopback networks the peers ($MH_NET.0.0/16), the tests' socket servers (127.0.0.1) and
    /// one test zone's AAAA (::1) use: the address policy refuses loopback unless it is allowed.
    /// </summary>
    public static IReadOnlyList<string> LoopbackNetworks { get; } = ["127.0.0.0/8", "::1/128"];

    /// <summary><see cref="LoopbackNetworks"/> as settings (<c>MailHealth:Checks:AllowedNetworks:N</c>), for a host's configuration.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> LoopbackNetworkSettings() =>
        LoopbackNetworks.Select((network, i) => KeyValuePair.Create($"{CheckOptions.Section}:{nameof(CheckOptions.AllowedNetworks)}:{i}", (string?)network));

    /// <summary><see cref="LoopbackNetworks"/> as <c>mailhealth check</c> options.</summary>
    public static IReadOnlyList<string> LoopbackNetworkArguments { get; } = [.. LoopbackNetworks.SelectMany(network => new[] { "--allow-network", network })];

    /// <summary>Check options for tests: the test CA trusted, loopback allowed, short deadlines.</summary>
    public static CheckOptions Options(Func<CheckOptions, CheckOptions>? adjust = null)
    {
        var options = new CheckOptions
        {
            ExtraTrustRoots = TestRoots(),
            AllowedNetworks = [.. LoopbackNetworks],
            ConnectTimeout = TimeSpan.FromSeconds(3),
            GreetingTimeout = TimeSpan.FromSeconds(5),
            CommandTimeout = TimeSpan.FromSeconds(5),
            TlsTimeout = TimeSpan.FromSeconds(5),
            ProbeDeadline = TimeSpan.FromSeconds(20),
            HeloName = "probe.mailhealth.test",
        };
        return adjust is null ? options : adjust(options);
    }

    /// <summary>
    /// <see cref="Options"/> for a test that holds a server's greeting until it has seen what it
    /// waits for: the probe waits two minutes for a greeting, so only the test decides when it comes.
    /// </summary>
    public static CheckOptions PatientOptions(int maxConcurrency = 8) => Options(o => new CheckOptions
    {
        ExtraTrustRoots = o.ExtraTrustRoots,
        AllowedNetworks = o.AllowedNetworks,
        HeloName = o.HeloName,
        GreetingTimeout = TimeSpan.FromMinutes(2),
        MaxConcurrency = maxConcurrency,
    });

    /// <summary>A context for running one check against the peers, with the real shared stages.</summary>
    public static CheckContext Context(Target target, CheckOptions? options = null, TimeProvider? time = null, DnsResolver? dns = null, TargetMemory? memory = null) =>
        new(target, dns ?? Resolver(), options ?? Options(), time ?? TimeProvider.System, CheckServices.Default, CancellationToken.None, memory: memory);

    /// <summary>The services a host composes (<c>AddMailHealthChecks</c>), on the test resolver and options.</summary>
    public static ServiceProvider Services(DnsResolver? dns = null, CheckOptions? options = null, TimeProvider? time = null) =>
        new ServiceCollection()
            .AddSingleton(dns ?? Resolver())
            .AddSingleton(time ?? TimeProvider.System)
            .AddSingleton<IOptions<CheckOptions>>(Microsoft.Extensions.Options.Options.Create(options ?? Options()))
            .AddMailHealthChecks(new ConfigurationBuilder().Build())
            .BuildServiceProvider();

    /// <summary>The domain checker of <see cref="Services"/>.</summary>
    public static DomainChecker Checker(DnsResolver? dns = null, CheckOptions? options = null, TimeProvider? time = null) =>
        Services(dns, options, time).GetRequiredService<DomainChecker>();

    /// <summary>The fleet runner of <see cref="Services"/>.</summary>
    public static FleetRunner Fleet(DnsResolver? dns = null, CheckOptions? options = null, TimeProvider? time = null) =>
        Services(dns, options, time).GetRequiredService<FleetRunner>();

    /// <summary>A target for a domain of the test zones.</summary>
    public static Target Target(string domain, Func<Target, Target>? adjust = null)
    {
        var target = new Target { Id = domain.Replace('.', '-'), Domain = domain, DisplayDomain = domain };
        return adjust is null ? target : adjust(target);
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Monitor.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Monitor.sln not found above " + AppContext.BaseDirectory);
    }
}
