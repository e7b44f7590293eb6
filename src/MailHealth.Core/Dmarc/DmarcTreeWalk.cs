using MailHealth.Dns;

namespace MailHealth.Dmarc;

/// <summary>
/// The DNS Tree Walk of RFC 9989 section 4.10: query <c>_dmarc</c> at the domain, then at its
/// ancestors (jumping to 7 labels first when the domain has 8 or more), at most 8 queries, until
/// a record with a psd tag stops it or no label is left. No Public Suffix List is involved.
/// </summary>
public static class DmarcTreeWalk
{
    /// <summary>The most queries one walk makes (RFC 9989 section 4.10).</summary>
    public const int MaxQueries = 8;

    /// <summary>
    /// The names whose <c>_dmarc</c> records a walk from <paramref name="domain"/> asks for, in
    /// order (RFC 9989 section 4.10 steps 3, 4 and 7).
    /// </summary>
    public static IReadOnlyList<string> Targets(string domain)
    {
        ArgumentNullException.ThrowIfNull(domain);
        var labels = domain.TrimEnd('.').Split('.');
        var names = new List<string> { string.Join('.', labels) };
        var next = labels.Length >= MaxQueries ? labels[^(MaxQueries - 1)..] : labels[1..];
        for (; next.Length > 0; next = next[1..])
        {
            names.Add(string.Join('.', next));
        }

        return names;
    }

    public static string RecordName(string domain) => "_dmarc." + domain;

    public static async Task<DmarcDiscovery> WalkAsync(DnsResolver dns, string domain, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dns);
        var steps = new List<DmarcWalkStep>();
        foreach (var target in Targets(domain))
        {
            var answer = await dns.GetTxtAsync(RecordName(target), cancellationToken).ConfigureAwait(false);
            if (answer.FailureCode is not null)
            {
                steps.Add(new DmarcWalkStep(target, answer, []));
                if (steps.Count == 1)
                {
                    // The domain's own record is unknown: nothing can be judged.
                    return new DmarcDiscovery(domain, steps, answer);
                }

                // A name above the domain decides only the organizational domain and a PSD policy
                // (RFC 9989 sections 4.10.1, 4.10.2): note it and read the names above it.
                continue;
            }

            var step = new DmarcWalkStep(target, answer, [.. answer.TxtRecords().Select(DmarcRecord.Parse)]);
            steps.Add(step);
            // Steps 2 and 6: a single valid record with psd=y or psd=n ends the walk.
            if (step.Record is { Psd: 'y' or 'n' })
            {
                break;
            }
        }

        return new DmarcDiscovery(domain, steps, null);
    }
}
