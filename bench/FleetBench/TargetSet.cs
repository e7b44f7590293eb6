using System.Net;
using MailHealth.Targets;
using MailHealth.Testing;

namespace MailHealth.Bench;

/// <summary>The domains a benchmark checks and the resolver it asks: port 25, the peers' test blocklist only.</summary>
internal sealed record TargetSet(IReadOnlyList<string> Domains, IPEndPoint Dns)
{
    /// <summary>d1.fleet.test ... dN.fleet.test of the peers' zones (one shared MX host), through the peers' resolver.</summary>
    public static TargetSet FleetTest(int size) => new([.. Enumerable.Range(1, size).Select(i => $"d{i}.fleet.test")], RecursivePeer.Endpoint);

    public int Count => Domains.Count;

    public TargetSet Take(int count) => this with { Domains = [.. Domains.Take(count)] };

    public IEnumerable<Target> Targets() => Domains.Select((domain, i) => TargetValidator.Validate(new TargetDefinition
    {
        Id = $"d{i + 1}",
        Domain = domain,
        Ports = ["25"],
        Dnsbl = ["bl.rep.test"],
    }).Target!);
}
