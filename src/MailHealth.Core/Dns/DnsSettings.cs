using MailHealth.Network;
using MailHealth.Settings;
using MailHealth.Sharing;

namespace MailHealth.Dns;

/// <summary>
/// The resolver's settings as configuration holds them (<c>MailHealth:Dns</c>); servers are text,
/// parsed by the one strict parser. Defaults and ranges: docs/configuration.md.
/// </summary>
public sealed class DnsSettings
{
    public const string Section = "MailHealth:Dns";

    /// <summary><c>IP</c>, <c>IP:PORT</c> or <c>[IPv6]:PORT</c>. Empty: the machine's resolvers.</summary>
    public List<string> Servers { get; set; } = [];

    /// <summary>One attempt at one server. Default 3 s, 100 ms-30 s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Further attempts after a timeout. Default 1, 0-5.</summary>
    public int Retries { get; set; } = 1;

    /// <summary>
    /// Also share answers across runs, process-wide, for their TTL: the monitor asks a caching
    /// resolver, which would answer from its cache until the TTL runs out, so a run reads what the
    /// resolver would say and the resolver's query budget is spent on what changed. Default true.
    /// </summary>
    public bool UseCache { get; set; } = true;

    /// <summary>
    /// The longest an answer is kept, whatever its TTL. Default 1 h, 0-1 day. An answer that did
    /// not come from a caching resolver (an authoritative server given as <c>--dns</c>) is kept
    /// at most half the monitor's interval besides.
    /// </summary>
    public TimeSpan MaximumCacheAge { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The most answers kept at once. Default 200,000, 0-10,000,000 (0: none kept across runs).</summary>
    public int CacheCapacity { get; set; } = DnsResolverOptions.DefaultCacheCapacity;

    public static void Validate(DnsSettings settings, SettingErrors errors)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(errors);
        for (var i = 0; i < settings.Servers.Count; i++)
        {
            if (!IpAddressText.TryParseEndpoint(settings.Servers[i], 53, out _))
            {
                errors.Add($"Servers:{i}", $"'{settings.Servers[i]}' is not an IP address or IP:PORT");
            }
        }

        errors.Range(nameof(Timeout), settings.Timeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(30));
        errors.Range(nameof(Retries), settings.Retries, 0, 5);
        errors.Range(nameof(MaximumCacheAge), settings.MaximumCacheAge, TimeSpan.Zero, TimeSpan.FromDays(1));
        errors.Range(nameof(CacheCapacity), settings.CacheCapacity, 0, 10_000_000);
    }

    /// <summary>The resolver's options; call after validation.</summary>
    /// <param name="limit">A host's own bound on answers from authoritative servers (the monitor: half its schedule's interval).</param>
    public DnsResolverOptions ToResolverOptions(SharingLimit? limit = null) => new()
    {
        Servers = [.. Servers.Select(s => IpAddressText.TryParseEndpoint(s, 53, out var e) ? e : throw new FormatException($"'{s}' is not an IP address or IP:PORT"))],
        Timeout = Timeout,
        Retries = Retries,
        UseCache = UseCache,
        MaximumCacheAge = MaximumCacheAge,
        MaximumAuthoritativeAge = (limit ?? SharingLimit.None).Apply(MaximumCacheAge),
        CacheCapacity = CacheCapacity,
    };
}
