namespace MailHealth.ReceiverReports;

/// <summary>A DKIM result of auth_results: the signing domain (d=), selector (s=) and the RFC 8601 result.</summary>
public sealed record DkimAuthResult(string? Domain, string? Selector, string Result, string? HumanResult);

/// <summary>An SPF result of auth_results: the domain checked, its scope (mfrom, helo) and the RFC 8601 result.</summary>
public sealed record SpfAuthResult(string? Domain, string? Scope, string Result);
