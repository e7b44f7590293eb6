using MailHealth.Checks;

namespace MailHealth.Mx;

/// <summary>The MX check's result and the hosts it found for probing.</summary>
public sealed record MxResult(CheckResult Check, MailHostSet Hosts);
