using System.Net;
using System.Text.Json.Serialization;

namespace MailHealth.Targets;

/// <summary>One monitored mail domain and how to check it.</summary>
public sealed record Target
{
    /// <summary>A slug that names the target in storage and alerts.</summary>
    public required string Id { get; init; }

    /// <summary>The mail domain in ASCII (A-labels, punycode): what goes on the wire.</summary>
    public required string Domain { get; init; }

    /// <summary>The domain as people write it (U-labels). Same as <see cref="Domain"/> for ASCII names.</summary>
    public string DisplayDomain { get; init; } = "";

    /// <summary>Hosts to probe. Empty: the domain's MX hosts (or its A/AAAA fallback, RFC 5321 section 5.1).</summary>
    public IReadOnlyList<string> Hosts { get; init; } = [];

    public IReadOnlyList<PortSpec> Ports { get; init; } = PortSpec.Defaults;

    /// <summary>DKIM selectors to check. Empty: those receivers reported and those the discovery sweep finds (docs/findings.md, DKIM).</summary>
    public IReadOnlyList<string> DkimSelectors { get; init; } = [];

    /// <summary>A BIMI selector to check besides "default" (the BIMI-Selector header of the domain's mail). Null: default only.</summary>
    public string? BimiSelector { get; init; }

    /// <summary>Outbound IPs tested against SPF and blocklists. Empty: the mail hosts' addresses.</summary>
    public IReadOnlyList<IPAddress> SendingIps { get; init; } = [];

    /// <summary>DNS blocklist zones. Null: the default set.</summary>
    public IReadOnlyList<string>? DnsblZones { get; init; }

    /// <summary>Opt-in open-relay test: MAIL FROM and RCPT TO a foreign domain, expecting a 5xx.</summary>
    public bool RelayTest { get; init; }

    /// <summary>A disabled target stays stored but is not scheduled.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>
    /// The kinds of check to run (<see cref="CheckKinds"/>), in report order. Null: every check,
    /// the full suite. What a report holds: <see cref="CheckKinds.IsReported"/>.
    /// </summary>
    public IReadOnlyList<string>? Checks { get; init; }

    /// <summary>Free labels (lower case) that route notifications to channels.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Credentials for the submission AUTH test. Never serialized.</summary>
    [JsonIgnore]
    public SmtpCredentials? Credentials { get; init; }
}
