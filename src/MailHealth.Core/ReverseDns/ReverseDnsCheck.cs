using System.Net;
using System.Net.Sockets;
using DnsClient;
using DnsClient.Protocol;
using MailHealth.Checks;
using MailHealth.Dns;
using MailHealth.Smtp;
using MailHealth.Targets;

namespace MailHealth.ReverseDns;

/// <summary>
/// The <c>ptr:IP</c> checks: for every sending IP and every mail host address, its PTR names
/// (RFC 1035 section 3.5), whether one of them resolves back to it (forward-confirmed reverse DNS,
/// which receivers use to judge a sender), and whether the SMTP greeting name agrees with them.
/// </summary>
public sealed class ReverseDnsCheck : ICheck
{
    public const string KindName = CheckKinds.Ptr;

    public string Kind => KindName;

    public async Task<IReadOnlyList<CheckResult>> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var hosts = await context.MailHosts.ConfigureAwait(false);
        var addresses = context.Target.SendingIps
            .Concat(hosts.Hosts.SelectMany(h => h.Addresses))
            .Select(Canonical.Address)
            .Distinct()
            .ToList();
        if (addresses.Count == 0)
        {
            return [];
        }

        var lookups = addresses.Select(a => LookupAsync(context, a, cancellationToken)).ToList();
        var probes = await ProbesAsync(context).ConfigureAwait(false);
        var results = new List<CheckResult>();
        foreach (var (address, result, ptrNames) in await Task.WhenAll(lookups).ConfigureAwait(false))
        {
            // Without the PTR answer the comparison would be half-blind: leave it to the next run.
            foreach (var finding in ptrNames is null ? [] : GreetingNameComparison.Compare(address, ptrNames, probes))
            {
                result.Add(finding);
            }

            results.Add(result.Build());
        }

        return results;
    }

    /// <summary>The SMTP probes, for the greeting names; none when the stage failed (it reports that itself).</summary>
    private static async Task<IReadOnlyList<SmtpProbeOutcome>> ProbesAsync(CheckContext context)
    {
        try
        {
            return await context.SmtpProbes.ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException and not OperationCanceledException)
        {
            return [];
        }
    }

    /// <summary>The PTR lookup and forward confirmation of one address; PtrNames is null when the PTR lookup failed.</summary>
    private static async Task<(IPAddress Address, CheckResultBuilder Result, IReadOnlyList<string>? PtrNames)> LookupAsync(
        CheckContext context, IPAddress address, CancellationToken cancellationToken)
    {
        var subject = address.ToString();
        var result = context.Result($"ptr:{subject}", KindName, subject);
        var ptr = await context.AskInSlotAsync((dns, ct) => dns.GetPtrAsync(address, ct), cancellationToken).ConfigureAwait(false);

        result.Evidence("query", ptr.Describe());
        if (result.AddLookupFailure(ptr, $"the PTR lookup of {subject} failed"))
        {
            return (address, result, null);
        }

        var names = ptr.Of<PtrRecord>().Select(r => Canonical.Name(r.PtrDomainName.Value)).Distinct().ToList();
        result.Evidence("ptr", names);
        if (names.Count == 0)
        {
            result.Add(ReverseDnsFindingCodes.PtrMissing, Severity.Warning,
                $"{subject} has no PTR record; many receivers reject or score down mail from an address without reverse DNS",
                new Dictionary<string, object?> { ["query"] = ptr.Describe() });
            return (address, result, []);
        }

        await ConfirmAsync(context, result, address, names, cancellationToken).ConfigureAwait(false);
        return (address, result, names);
    }

    /// <summary>
    /// Forward confirmation: some PTR name has an address record equal to the address. Only the
    /// address's own family can confirm it, so only that one is asked (A for IPv4, AAAA for IPv6).
    /// </summary>
    private static async Task ConfirmAsync(
        CheckContext context, CheckResultBuilder result, IPAddress address, IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        var type = address.AddressFamily == AddressFamily.InterNetwork ? QueryType.A : QueryType.AAAA;
        var forwards = await Task.WhenAll(names.Select(name =>
            context.AskInSlotAsync((dns, ct) => dns.QueryAsync(name, type, ct), cancellationToken))).ConfigureAwait(false);

        result.Evidence("forward", forwards.Select(f => new
        {
            name = f.Name,
            addresses = Addresses(f).Select(a => a.ToString()).ToList(),
        }).ToList());

        var confirmed = forwards.FirstOrDefault(f => Addresses(f).Any(a => Same(a, address)));
        if (confirmed is not null)
        {
            result.Evidence("forwardConfirmed", confirmed.Name);
            return;
        }

        // If that lookup failed for some name we cannot tell, which is not the same as "not confirmed".
        var failed = forwards.FirstOrDefault(a => !a.Answered);
        if (failed is not null)
        {
            result.Add(failed.FailureCode ?? DnsFindingCodes.ServFail, Severity.Warning,
                $"could not resolve the PTR name(s) of {address} back: {failed.Describe()}{failed.FailureHint}").MarkError(failed.Describe());
            return;
        }

        result.Add(ReverseDnsFindingCodes.PtrNotForwardConfirmed, Severity.Warning,
            $"no PTR name of {address} ({string.Join(", ", names)}) resolves back to it; receivers treat the reverse DNS as forged",
            new Dictionary<string, object?>
            {
                ["ptr"] = names,
                ["forward"] = forwards.ToDictionary(f => f.Name, f => (object?)Addresses(f).Select(a => a.ToString()).ToList()),
            });
    }

    private static IEnumerable<IPAddress> Addresses(DnsAnswer answer) =>
        answer.Of<ARecord>().Select(r => r.Address).Concat(answer.Of<AaaaRecord>().Select(r => r.Address));

    private static bool Same(IPAddress a, IPAddress b) => Canonical.Address(a).Equals(Canonical.Address(b));
}
