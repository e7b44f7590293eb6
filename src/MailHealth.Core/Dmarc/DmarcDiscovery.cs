using MailHealth.Dns;

namespace MailHealth.Dmarc;

/// <summary>
/// What one tree walk saw, and the policy that follows for the domain, its existing subdomains and
/// its non-existent subdomains (RFC 9989 sections 4.10.1 and 4.10.2).
/// </summary>
public sealed class DmarcDiscovery(string domain, IReadOnlyList<DmarcWalkStep> steps, DnsAnswer? failure)
{
    // A stand-in leftmost label for "any subdomain of the domain": only its position counts, it is never queried.
    private const string AnySubdomainLabel = "*";

    public string Domain { get; } = domain;

    public IReadOnlyList<DmarcWalkStep> Steps { get; } = steps;

    /// <summary>The failed answer for the domain's own name, which ends the walk (timeout, SERVFAIL), if any.</summary>
    public DnsAnswer? Failure { get; } = failure;

    /// <summary>The names above the domain that did not answer: what they hold stays unknown.</summary>
    public IReadOnlyList<DmarcWalkStep> Unanswered => [.. Steps.Skip(1).Where(s => s.Answer.FailureCode is not null)];

    public int QueryCount => Steps.Count;

    /// <summary>The single valid record found at each name that has one, longest name first.</summary>
    public IReadOnlyList<(string Domain, DmarcRecord Record)> Found =>
        [.. Steps.Where(s => s.Record is not null).Select(s => (s.Domain, s.Record!))];

    /// <summary>The Organizational Domain of the domain (RFC 9989 section 4.10.2).</summary>
    public string OrganizationalDomain => OrganizationalDomainOf(Domain, Found);

    /// <summary>The policy for mail from the domain itself (RFC 9989 section 4.10.1).</summary>
    public DmarcEffectivePolicy ForDomain()
    {
        var found = Found;
        if (found.FirstOrDefault(f => f.Domain == Domain) is { Record: not null } own)
        {
            return DmarcEffectivePolicy.From(Domain, own.Domain, own.Record, "p", OrganizationalDomainOf(Domain, found));
        }

        // The monitored domain exists (it is a mail domain), so sp applies, not np.
        return Inherited(Domain, found, "sp");
    }

    /// <summary>The policy for an existing (<paramref name="tag"/> sp) or non-existent (np) subdomain.</summary>
    public DmarcEffectivePolicy ForSubdomains(string tag)
    {
        var subdomain = $"{AnySubdomainLabel}.{Domain}";
        // The subdomain's own walk: the same chain, minus the names its walk would skip (a domain
        // of 8 or more labels is itself skipped by its subdomains' walks, RFC 9989 section 4.10 step 4).
        var asked = DmarcTreeWalk.Targets(subdomain).Skip(1).ToHashSet(StringComparer.Ordinal);
        var found = Found.Where(f => asked.Contains(f.Domain)).ToList();
        return Inherited(subdomain, found, tag);
    }

    private static DmarcEffectivePolicy Inherited(string subject, IReadOnlyList<(string Domain, DmarcRecord Record)> found, string tag)
    {
        var organizational = OrganizationalDomainOf(subject, found);
        // The Organizational Domain's record, else the Public Suffix Domain's (RFC 9989 section 4.10.1).
        var applied = found.FirstOrDefault(f => f.Domain == organizational);
        if (applied.Record is null)
        {
            applied = found.FirstOrDefault(f => f.Record.Psd == 'y');
        }

        return applied.Record is null
            ? DmarcEffectivePolicy.NotFound(subject)
            : DmarcEffectivePolicy.From(subject, applied.Domain, applied.Record, tag, organizational);
    }

    /// <summary>RFC 9989 section 4.10.2: psd=n, else one below psd=y, else the record with the fewest labels.</summary>
    public static string OrganizationalDomainOf(string start, IReadOnlyList<(string Domain, DmarcRecord Record)> found)
    {
        ArgumentNullException.ThrowIfNull(found);
        foreach (var (domain, record) in found)
        {
            if (record.Psd == 'n')
            {
                return domain;
            }

            if (record.Psd == 'y' && domain != start)
            {
                var labels = start.Split('.');
                return string.Join('.', labels[^(domain.Split('.').Length + 1)..]);
            }
        }

        return found.Count > 0 ? found[^1].Domain : start;
    }
}
