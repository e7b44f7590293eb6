using System.Net;

namespace MailHealth.Checks;

/// <summary>A host that receives mail for the target, with the addresses the checker's resolver gave.</summary>
/// <param name="Name">ASCII host name (or an address literal when an MX is misconfigured so).</param>
/// <param name="Preference">MX preference; null for explicit hosts and the A/AAAA fallback.</param>
/// <param name="Addresses">A and AAAA addresses; empty when unresolvable.</param>
public sealed record MailHost(string Name, int? Preference, IReadOnlyList<IPAddress> Addresses);
