using MailHealth.Dns;
using MailHealth.Memory;

namespace MailHealth.Dkim;

/// <summary>What one selector sweep (<see cref="DkimSelectorSweep"/>) asked and found.</summary>
/// <param name="Outcome">How it ended.</param>
/// <param name="Answers">Each selector asked, with its answer (the <c>_domainkey</c> question is not among them).</param>
/// <param name="Questions">The questions it asked, <c>_domainkey</c>'s included.</param>
/// <param name="Failure">For <see cref="DkimSweepOutcome.Unanswered"/>: the first answer that could not be had.</param>
public sealed record DkimSweep(DkimSweepOutcome Outcome, IReadOnlyDictionary<string, DnsAnswer> Answers, int Questions, DnsAnswer? Failure)
{
    /// <summary>The server answered NXDOMAIN for <c>_domainkey</c> although a selector below it exists.</summary>
    public bool GuardCaught { get; init; }

    /// <summary>The selectors asked, in the order of the common list.</summary>
    public IReadOnlyList<string> Tried => [.. Answers.Keys.OrderBy(Rank).ThenBy(s => s, StringComparer.Ordinal)];

    /// <summary>The selectors with a key record, in the order of the common list.</summary>
    public IReadOnlyList<string> Found => [.. Tried.Where(s => Answers[s].FailureCode is null && Answers[s].TxtRecords().Select(DkimKeyRecord.Parse).Any(r => r.LooksLikeKeyRecord))];

    /// <summary>The selectors whose question got no answer: unknown, not absent.</summary>
    public IReadOnlyList<string> Unanswered => [.. Tried.Where(s => Answers[s].FailureCode is not null)];

    /// <summary>The sweep as the monitor remembers it (the found selectors are kept beside it).</summary>
    public DkimSweepRecord ToRecord(string domain, DateTimeOffset at) =>
        new(domain, at, Outcome, Questions, GuardCaught, Failure?.FailureCode, Failure?.Describe());

    private static readonly Dictionary<string, int> CommonRank =
        DkimCheck.CommonSelectors.Select((selector, i) => (selector, i)).ToDictionary(p => p.selector, p => p.i, StringComparer.Ordinal);

    private static int Rank(string selector) => CommonRank.GetValueOrDefault(selector, int.MaxValue);
}
