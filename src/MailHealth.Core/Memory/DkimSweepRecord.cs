namespace MailHealth.Memory;

/// <summary>What a DKIM selector sweep of a domain ended in, as remembered (the selectors it found are kept beside it).</summary>
/// <param name="Domain">The domain swept (a target whose domain changed is swept again).</param>
/// <param name="At">When it ran.</param>
/// <param name="Outcome">What it found.</param>
/// <param name="Questions">The questions it asked.</param>
/// <param name="GuardCaught">The server answered NXDOMAIN for <c>_domainkey</c> although a selector below it exists (RFC 8020 broken), so the sweep went on.</param>
/// <param name="FailureCode">For <see cref="DkimSweepOutcome.Unanswered"/>: DNS_TIMEOUT or DNS_SERVFAIL.</param>
/// <param name="Failure">For <see cref="DkimSweepOutcome.Unanswered"/>: the question that failed and how.</param>
public sealed record DkimSweepRecord(
    string Domain,
    DateTimeOffset At,
    DkimSweepOutcome Outcome,
    int Questions,
    bool GuardCaught = false,
    string? FailureCode = null,
    string? Failure = null);
