using DnsClient;
using DnsClient.Protocol;
using MailHealth.Dns;

namespace MailHealth.Blocklists;

/// <summary>Asks one blocklist one question (RFC 5782 section 2), within the run's concurrency bound.</summary>
public static class BlocklistLookup
{
    /// <summary>
    /// Asks the A record of <paramref name="query"/>; when it lists (or refuses) and
    /// <paramref name="withReason"/> is set, also the TXT record that says why (RFC 5782 section 2.1).
    /// Every wait is bounded by the resolver's own timeout: a dead zone ends as <see cref="BlocklistVerdict.Failed"/>.
    /// </summary>
    public static async Task<BlocklistAnswer> AskAsync(
        DnsResolver dns, SemaphoreSlim bound, BlocklistZone zone, string query, bool withReason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dns);
        ArgumentNullException.ThrowIfNull(bound);
        var answer = await BoundedAsync(dns, bound, query, QueryType.A, cancellationToken).ConfigureAwait(false);
        if (!answer.Answered)
        {
            return new BlocklistAnswer(zone, query, BlocklistVerdict.Failed, [], null, answer);
        }

        var codes = answer.Of<ARecord>().Select(r => ReturnCode.Interpret(r.Address, zone)).ToList();
        if (codes.Count == 0)
        {
            return new BlocklistAnswer(zone, query, BlocklistVerdict.NotListed, [], null, answer);
        }

        var verdict = codes.Any(c => !c.IsError) ? BlocklistVerdict.Listed : BlocklistVerdict.Refused;
        string? reason = null;
        if (withReason)
        {
            var txt = await BoundedAsync(dns, bound, query, QueryType.TXT, cancellationToken).ConfigureAwait(false);
            var texts = txt.TxtRecords();
            reason = texts.Count > 0 ? string.Join(" | ", texts) : null;
        }

        return new BlocklistAnswer(zone, query, verdict, codes, reason, answer);
    }

    private static async Task<DnsAnswer> BoundedAsync(
        DnsResolver dns, SemaphoreSlim bound, string name, QueryType type, CancellationToken cancellationToken)
    {
        await bound.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await dns.QueryAsync(name, type, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            bound.Release();
        }
    }
}
