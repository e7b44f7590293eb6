using MailHealth.Dns;

namespace MailHealth.Spf;

/// <summary>A problem the policy walk found in one record of the tree.</summary>
/// <param name="Code">An <see cref="SpfFindingCodes"/> code.</param>
/// <param name="Domain">The domain whose record has the problem.</param>
/// <param name="Message">One line a person can act on.</param>
/// <param name="FailedAnswer">For SPF_TEMPERROR: the DNS answer that could not be had.</param>
public sealed record SpfLintIssue(string Code, string Domain, string Message, DnsAnswer? FailedAnswer = null);
