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
    /// Also share answers across runs, process-wide (never longer than <see cref="MaximumCacheAge"/>):
    /// the names a fleet has in common (its providers' MX hosts, their TLSA and PTR records, the
    /// blocklists' answers, the DMARC walk's upper names) are asked once per cycle, not once per
    /// target. Default true; only questions asked twice are kept, at most 4,096, so memory stays flat.
    /// </summary>
    public bool UseCache { get; set; } = true;

    /// <summary>The longest an answer is kept, whatever its TTL. Default 1 min, 0-1 h; keep it below the schedule's interval.</summary>
    public TimeSpan MaximumCacheAge { get; set; } = TimeSpan.FromMinutes(1);

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
        errors.Range(nameof(MaximumCacheAge), settings.MaximumCacheAge, TimeSpan.Zero, TimeSpan.FromHours(1));
    }

    /// <summary>The resolver's options; call after validation.</summary>
    /// <param name="limit">A host's own bound on <see cref="MaximumCacheAge"/> (the monitor: half its schedule's interval).</param>
    public DnsResolverOptions ToResolverOptions(SharingLimit? limit = null) => new()
    {
        Servers = [.. Servers.Select(s => IpAddressText.TryParseEndpoint(s, 53, out var e) ? e : throw new FormatException($"'{s}' is not an IP address or IP:PORT"))],
        Timeout = Timeout,
        Retries = Retries,
        UseCache = UseCache,
        MaximumCacheAge = (limit ?? SharingLimit.None).Apply(MaximumCacheAge),
    };
}
