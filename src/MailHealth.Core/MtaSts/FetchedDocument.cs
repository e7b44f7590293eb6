namespace MailHealth.MtaSts;

/// <summary>
/// What an HTTPS fetch is for, as its details name it: the MTA-STS policy (read by senders), or a
/// BIMI logo or mark certificate (read by receivers), so a failed logo fetch does not speak of a policy.
/// </summary>
/// <param name="Name">The document, as in "only 200 delivers the NAME".</param>
/// <param name="Reader">Who reads it, as in "so READER refuse the NAME".</param>
/// <param name="RedirectNote">Why a redirect ends the fetch.</param>
public sealed record FetchedDocument(string Name, string Reader, string RedirectNote)
{
    /// <summary>The MTA-STS policy (RFC 8461 section 3.3).</summary>
    public static readonly FetchedDocument MtaStsPolicy = new("policy", "senders", "RFC 8461 section 3.3 forbids following redirects");
}
