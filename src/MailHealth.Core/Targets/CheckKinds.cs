namespace MailHealth.Targets;

/// <summary>
/// The kinds of check, in report order: each check's results carry its kind, and a target may
/// choose which kinds run (<see cref="Target.Checks"/>, <c>checks</c> in a target definition).
/// </summary>
public static class CheckKinds
{
    public const string Mx = "mx";
    public const string Smtp = "smtp";
    public const string Spf = "spf";
    public const string Dkim = "dkim";
    public const string Dmarc = "dmarc";
    public const string MtaSts = "mta-sts";
    public const string TlsRpt = "tls-rpt";
    public const string Dnssec = "dnssec";
    public const string Dane = "dane";
    public const string Bimi = "bimi";
    public const string Ptr = "ptr";
    public const string Dnsbl = "dnsbl";

    /// <summary>Every kind, in report order: the full suite, a target's default.</summary>
    public static IReadOnlyList<string> All { get; } = [Mx, Smtp, Spf, Dkim, Dmarc, MtaSts, TlsRpt, Dnssec, Dane, Bimi, Ptr, Dnsbl];

    /// <summary>The kinds that read the SMTP probes (their results, the certificates and greetings they saw).</summary>
    public static IReadOnlyList<string> ReadingProbes { get; } = [Smtp, MtaSts, Dane, Ptr];

    /// <summary>The kind as written in <c>checks</c> (any case), or null when there is no such kind.</summary>
    public static string? Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var kind = text.Trim().ToLowerInvariant();
        return All.Contains(kind) ? kind : null;
    }

    /// <summary>
    /// The kinds whose results a run of <paramref name="target"/> reports: those it chose, and with
    /// <c>smtp</c> the <c>mx</c> result whenever the hosts to probe come from the MX lookup, since a
    /// probe list read from a failed or empty lookup must not pass for a clean run. The stages a
    /// chosen check builds on (the MX lookup, the SMTP probes for DANE, MTA-STS and reverse DNS)
    /// run whether or not their own kind is reported.
    /// </summary>
    public static bool IsReported(Target target, string kind)
    {
        ArgumentNullException.ThrowIfNull(target);
        return target.Checks is not { } chosen
            || chosen.Contains(kind)
            || (kind == Mx && target.Hosts.Count == 0 && chosen.Contains(Smtp));
    }
}
