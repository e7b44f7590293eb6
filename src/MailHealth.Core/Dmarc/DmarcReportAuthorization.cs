using MailHealth.Dns;

namespace MailHealth.Dmarc;

/// <summary>
/// External report destination verification (draft-ietf-dmarc-aggregate-reporting, "Verifying
/// External Destinations"; RFC 9989 section 11.6): a report URI whose host lies outside the
/// record's Organizational Domain is honoured only when the destination publishes a v=DMARC1
/// record at <c>&lt;policy domain&gt;._report._dmarc.&lt;destination host&gt;</c>.
/// </summary>
public static class DmarcReportAuthorization
{
    /// <summary>The longest name DNS carries in text form (RFC 1035 section 2.3.4).</summary>
    private const int MaxNameLength = 253;

    /// <summary>
    /// True when <paramref name="host"/> is the authority domain or below it. A host outside it
    /// has a different Organizational Domain for certain; one below it has the same unless its own
    /// tree walk says otherwise (a psd=n record in between), which the dmarc check asks.
    /// </summary>
    public static bool IsInternal(string host, string authority)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(authority);
        return host.Equals(authority, StringComparison.OrdinalIgnoreCase)
            || host.EndsWith("." + authority, StringComparison.OrdinalIgnoreCase);
    }

    public static string AuthorizationName(string policyDomain, string host) => $"{policyDomain}._report._dmarc.{host}";

    /// <summary>Checks one external destination host: authorized, not authorized, or unknown (DNS failure).</summary>
    public static async Task<DmarcDestination> VerifyAsync(DnsResolver dns, string policyDomain, string host, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dns);
        var name = AuthorizationName(policyDomain, host);
        if (name.Length > MaxNameLength)
        {
            // Step 4: the name exceeds DNS limits; no positive determination can be made.
            return new DmarcDestination(host, name, false, null, "the authorization name is too long for DNS");
        }

        var answer = await dns.GetTxtAsync(name, cancellationToken).ConfigureAwait(false);
        if (answer.FailureCode is not null)
        {
            return new DmarcDestination(host, name, null, answer, answer.Describe());
        }

        // Steps 6 to 8: any record that starts with v=DMARC1 authorizes.
        var authorized = answer.TxtRecords().Select(DmarcRecord.Parse).Any(r => r.IsPolicyRecord);
        return new DmarcDestination(host, name, authorized, answer,
            authorized ? "authorized" : $"no v=DMARC1 record at {name} ({answer.Describe()})");
    }
}
