using MailHealth.Dns;

namespace MailHealth.Blocklists;

/// <summary>
/// The blocklist zones MailHealth knows, with the meaning of their return codes. A target's zones
/// (<c>dnsblZones</c>, <c>--dnsbl</c>) are looked up here by name; a zone not in the catalog is
/// still queried, its kind found from its RFC 5782 section 5 test entries.
/// </summary>
public sealed class BlocklistCatalog
{
    private static readonly Dictionary<string, string> SpamhausErrors = new()
    {
        ["127.255.255.252"] = "Spamhaus: typing error in the DNSBL name",
        ["127.255.255.254"] = "Spamhaus: query through a public or open resolver, refused (use your own resolver or Spamhaus DQS)",
        ["127.255.255.255"] = "Spamhaus: excessive number of queries, refused",
    };

    private readonly Dictionary<string, BlocklistZone> _zones;

    public BlocklistCatalog(IEnumerable<BlocklistZone> zones, IEnumerable<string> defaults)
    {
        _zones = zones.ToDictionary(z => Canonical.Name(z.Name), StringComparer.Ordinal);
        Defaults = [.. defaults.Select(Canonical.Name)];
    }

    /// <summary>The production catalog. Its zones are public servers: tests never use the defaults.</summary>
    public static BlocklistCatalog Default { get; } = new(
        [
            new BlocklistZone
            {
                Name = "zen.spamhaus.org",
                Kind = BlocklistKind.Ip,
                Description = "Spamhaus ZEN (SBL, CSS, XBL, PBL combined)",
                Meanings = new Dictionary<string, string>
                {
                    ["127.0.0.2"] = "SBL: a known spam source or spam operation",
                    ["127.0.0.3"] = "SBL CSS: low-reputation (snowshoe) sending",
                    ["127.0.0.4"] = "XBL: an exploited or infected host (botnet, proxy)",
                    ["127.0.0.5"] = "XBL: an exploited or infected host",
                    ["127.0.0.6"] = "XBL: an exploited or infected host",
                    ["127.0.0.7"] = "XBL: an exploited or infected host",
                    ["127.0.0.9"] = "SBL DROP/EDROP: a hijacked or criminal netblock",
                    ["127.0.0.10"] = "PBL (ISP maintained): an end-user range that should not send to MX hosts directly",
                    ["127.0.0.11"] = "PBL (Spamhaus maintained): an end-user range that should not send to MX hosts directly",
                },
                ErrorCodes = SpamhausErrors,
            },
            new BlocklistZone
            {
                Name = "bl.spamcop.net",
                Kind = BlocklistKind.Ip,
                Description = "SpamCop Blocking List",
                Meanings = new Dictionary<string, string> { ["127.0.0.2"] = "reported as a spam source by SpamCop users" },
            },
            new BlocklistZone
            {
                Name = "b.barracudacentral.org",
                Kind = BlocklistKind.Ip,
                Description = "Barracuda Reputation Block List (queries from registered resolvers only)",
                Meanings = new Dictionary<string, string> { ["127.0.0.2"] = "poor sending reputation (Barracuda BRBL)" },
            },
            new BlocklistZone
            {
                Name = "psbl.surriel.com",
                Kind = BlocklistKind.Ip,
                Description = "Passive Spam Block List",
                Meanings = new Dictionary<string, string> { ["127.0.0.2"] = "sent mail to PSBL spam traps" },
            },
            new BlocklistZone
            {
                Name = "dnsbl-1.uceprotect.net",
                Kind = BlocklistKind.Ip,
                Description = "UCEPROTECT level 1 (single addresses)",
                Meanings = new Dictionary<string, string> { ["127.0.0.2"] = "UCEPROTECT level 1: this address sent to spam traps" },
            },
            new BlocklistZone
            {
                Name = "dbl.spamhaus.org",
                Kind = BlocklistKind.Domain,
                Description = "Spamhaus Domain Block List",
                Meanings = new Dictionary<string, string>
                {
                    ["127.0.1.2"] = "DBL: a spam domain",
                    ["127.0.1.4"] = "DBL: a phishing domain",
                    ["127.0.1.5"] = "DBL: a malware domain",
                    ["127.0.1.6"] = "DBL: a botnet command-and-control domain",
                    ["127.0.1.102"] = "DBL: an abused legitimate domain (spam)",
                    ["127.0.1.103"] = "DBL: an abused legitimate domain (spammed redirector)",
                    ["127.0.1.104"] = "DBL: an abused legitimate domain (phishing)",
                    ["127.0.1.105"] = "DBL: an abused legitimate domain (malware)",
                    ["127.0.1.106"] = "DBL: an abused legitimate domain (botnet command and control)",
                },
                ErrorCodes = new Dictionary<string, string>(SpamhausErrors)
                {
                    ["127.0.1.255"] = "Spamhaus DBL: IP queries prohibited (an address was asked as a domain)",
                },
            },
        ],
        ["zen.spamhaus.org", "bl.spamcop.net", "b.barracudacentral.org", "psbl.surriel.com", "dnsbl-1.uceprotect.net", "dbl.spamhaus.org"]);

    /// <summary>Zone names used when a target names none.</summary>
    public IReadOnlyList<string> Defaults { get; }

    public IEnumerable<BlocklistZone> Zones => _zones.Values;

    /// <summary>The catalog with more zones (or zones replaced by name).</summary>
    public BlocklistCatalog With(params BlocklistZone[] zones) =>
        new(_zones.Values.Where(z => !zones.Any(n => Canonical.Name(n.Name) == Canonical.Name(z.Name))).Concat(zones), Defaults);

    /// <summary>The catalog entry of a zone, or an <see cref="BlocklistZone.Unknown"/> one.</summary>
    public BlocklistZone Find(string name) =>
        _zones.TryGetValue(Canonical.Name(name), out var zone) ? zone : BlocklistZone.Unknown(Canonical.Name(name));

    /// <summary>The zones to query for a target: its own (null: the defaults), each once, in order.</summary>
    public IReadOnlyList<BlocklistZone> Resolve(IReadOnlyList<string>? names) =>
        [.. (names ?? Defaults).Select(Canonical.Name).Where(n => n.Length > 0).Distinct(StringComparer.Ordinal).Select(Find)];

}
