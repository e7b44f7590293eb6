using System.Net;
using MailHealth.Checks;

namespace MailHealth.Mx;

/// <summary>The hosts a run probes: the target's explicit hosts (resolved here), else the MX lookup's.</summary>
public static class MailHostResolver
{
    public static async Task<MailHostSet> ResolveAsync(CheckContext context, CancellationToken cancellationToken)
    {
        if (context.Target.Hosts.Count == 0)
        {
            return (await context.Mx.ConfigureAwait(false)).Hosts;
        }

        var hosts = await Task.WhenAll(context.Target.Hosts.Select(async name =>
        {
            if (IPAddress.TryParse(name, out var literal))
            {
                return new MailHost(name, null, [literal]);
            }

            var resolved = await context.Dns.GetAddressesAsync(name, cancellationToken).ConfigureAwait(false);
            return new MailHost(name, null, resolved.Addresses);
        })).ConfigureAwait(false);
        return new MailHostSet(hosts, MailHostSource.Explicit);
    }
}
