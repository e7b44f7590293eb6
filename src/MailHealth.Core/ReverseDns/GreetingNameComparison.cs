using System.Net;
using MailHealth.Checks;
using MailHealth.Dns;
using MailHealth.Smtp;

namespace MailHealth.ReverseDns;

/// <summary>
/// Compares the name a server gives in its 220 greeting (RFC 5321 section 4.2: the first word is
/// its domain) with the names the rest of the world has for it: the PTR names of the address it
/// answered on and the MX host name it was reached by. Receivers and humans reading logs expect
/// them to agree; a mismatch is worth knowing, not an outage (info).
/// </summary>
public static class GreetingNameComparison
{
    public static IReadOnlyList<Finding> Compare(IPAddress address, IReadOnlyList<string> ptrNames, IEnumerable<SmtpProbeOutcome> probes)
    {
        ArgumentNullException.ThrowIfNull(address);
        var findings = new List<Finding>();
        foreach (var probe in probes.Where(p => address.Equals(p.Address)))
        {
            var greeting = Canonical.Name(probe.GreetingHostname);

            // No greeting name, or an address literal: nothing to compare (the SMTP check judges the greeting).
            if (greeting.Length == 0 || greeting.StartsWith('[') || IPAddress.TryParse(greeting, out _))
            {
                continue;
            }

            var hostName = Canonical.Name(probe.Host.Name);
            var expected = ptrNames.Select(Canonical.Name).Append(hostName).Where(n => n.Length > 0).Distinct().ToList();
            if (expected.Contains(greeting, StringComparer.Ordinal))
            {
                continue;
            }

            var subject = $"{probe.Host.Name}:{probe.Port.Port}";
            var ptrText = ptrNames.Count > 0 ? string.Join(", ", ptrNames.Select(Canonical.Name)) : "none";
            findings.Add(new Finding(
                ReverseDnsFindingCodes.SmtpGreetingHostnameMismatch,
                Severity.Info,
                subject,
                $"{subject} greets as {greeting}, which is neither its host name {hostName} nor a PTR name of {address} ({ptrText})",
                new Dictionary<string, object?>
                {
                    ["greetingHostname"] = greeting,
                    ["hostName"] = hostName,
                    ["address"] = address.ToString(),
                    ["ptrNames"] = ptrNames.Select(Canonical.Name).ToList(),
                }));
        }

        return findings;
    }
}
