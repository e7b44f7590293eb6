using MailHealth.Dns;
using MailHealth.Memory;

namespace MailHealth.Dkim;

/// <summary>
/// Finds a domain's DKIM selectors by trying the common ones, for a target that names none: run
/// when the monitor first meets the target and then daily (the results are remembered), or inline
/// by a one-off check. Never part of every cycle: sixteen guesses per domain per cycle were most
/// of a fleet's DNS questions (issue 17).
/// <para>
/// It first asks <c>_domainkey.DOMAIN</c>. No such name (NXDOMAIN) means nothing exists below it
/// (RFC 8020 section 2), so no selector: the sweep stops there, one question instead of seventeen.
/// The guard: some servers wrongly answer NXDOMAIN for an empty non-terminal such as
/// <c>_domainkey</c> when only names below it exist. So an NXDOMAIN is confirmed with one more
/// question, for a selector the domain is known to use (reported, or found before) or else the
/// most common one (<see cref="GuardSelector"/>): when that name exists the server is broken and the
/// sweep goes on through every common selector. The guard costs one question per domain without
/// DKIM and catches a broken server whenever the domain uses the selector it asks; a broken server
/// for a domain that uses only other selectors still reads as "no DKIM key" (docs/findings.md).
/// </para>
/// </summary>
public static class DkimSelectorSweep
{
    /// <summary>The selector the guard asks when none is known: Microsoft 365's first, the most widely published.</summary>
    public const string GuardSelector = "selector1";

    /// <summary>The name below which every selector of <paramref name="domain"/> lives (RFC 6376 section 3.6.2.1).</summary>
    public static string DomainKeyName(string domain) => $"_domainkey.{domain}";

    /// <param name="dns">The resolver (a run's view, or the process's).</param>
    /// <param name="domain">The domain, in ASCII.</param>
    /// <param name="known">Selectors the domain is known to use (reported, found before): the guard asks the first.</param>
    /// <param name="bound">Bounds how many of the sweep's questions are in flight at once.</param>
    /// <param name="cancellationToken">Ends the sweep.</param>
    public static async Task<DkimSweep> SweepAsync(DnsResolver dns, string domain, IReadOnlyList<string> known, SemaphoreSlim bound, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dns);
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentNullException.ThrowIfNull(known);
        ArgumentNullException.ThrowIfNull(bound);
        var answers = new Dictionary<string, DnsAnswer>(StringComparer.Ordinal);
        var questions = 0;

        async Task<DnsAnswer> AskAsync(string name)
        {
            await bound.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                Interlocked.Increment(ref questions);
                return await dns.GetTxtAsync(name, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                bound.Release();
            }
        }

        var root = await AskAsync(DomainKeyName(domain)).ConfigureAwait(false);
        if (root.FailureCode is not null)
        {
            return new DkimSweep(DkimSweepOutcome.Unanswered, answers, questions, root);
        }

        var guardCaught = false;
        if (root.Outcome == DnsOutcome.NxDomain)
        {
            var guard = known.FirstOrDefault() ?? GuardSelector;
            var confirmation = await AskAsync(DkimCheck.KeyName(guard, domain)).ConfigureAwait(false);
            answers[guard] = confirmation;
            if (confirmation.FailureCode is not null)
            {
                return new DkimSweep(DkimSweepOutcome.Unanswered, answers, questions, confirmation);
            }

            if (confirmation.Outcome == DnsOutcome.NxDomain)
            {
                return new DkimSweep(DkimSweepOutcome.NoDomainKey, answers, questions, null);
            }

            // The name below exists although its parent "does not": the server breaks RFC 8020.
            guardCaught = true;
        }

        var rest = DkimCheck.CommonSelectors.Where(s => !answers.ContainsKey(s)).ToList();
        var asked = await Task.WhenAll(rest.Select(async s => (Selector: s, Answer: await AskAsync(DkimCheck.KeyName(s, domain)).ConfigureAwait(false)))).ConfigureAwait(false);
        foreach (var (selector, answer) in asked)
        {
            answers[selector] = answer;
        }

        var sweep = new DkimSweep(DkimSweepOutcome.NoneFound, answers, questions, null) { GuardCaught = guardCaught };
        return sweep.Found.Count > 0 ? sweep with { Outcome = DkimSweepOutcome.Found }
            : sweep.Unanswered.Count > 0 ? sweep with { Outcome = DkimSweepOutcome.Unanswered, Failure = answers[sweep.Unanswered[0]] }
            : sweep;
    }
}
