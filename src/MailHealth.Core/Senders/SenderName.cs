using System.Net;
using MailHealth.Spf;

namespace MailHealth.Senders;

/// <summary>Who a source address of a DMARC aggregate report is: its name, its organisation's domain, and what in the policy domain's SPF record lets it send.</summary>
public sealed record SenderName
{
    public required IPAddress Ip { get; init; }

    /// <summary>
    /// The PTR name: the first that resolves back to <see cref="Ip"/> (forward-confirmed, the
    /// "iprev" of RFC 8601 section 3, the validation of RFC 7208 section 5.5); when none does, the
    /// first PTR name, with <see cref="Problem"/> <see cref="SenderNameProblem.Unconfirmed"/>.
    /// </summary>
    public string? PtrName { get; init; }

    /// <summary>
    /// The registrable domain of a confirmed <see cref="PtrName"/> by the Public Suffix List's
    /// ICANN section (docs/reports.md says why not the PRIVATE one); null when unconfirmed.
    /// </summary>
    public string? BaseDomain { get; init; }

    public required SenderNameProblem Problem { get; init; }

    /// <summary>check_host() for the policy domain from this address (RFC 7208 section 4); null when not evaluated in time.</summary>
    public SpfResult? SpfResult { get; init; }

    /// <summary>The mechanism that gave <see cref="SpfResult"/>, with the include/redirect terms leading to it.</summary>
    public SpfMatch? SpfMatch { get; init; }

    /// <summary>The term of the domain's own record that authorises the source ("include:_spf.google.com", "ip4:..."): null unless SPF passes.</summary>
    public string? AuthorisedBy => SpfResult == Spf.SpfResult.Pass ? SpfMatch?.TopTerm : null;
}
