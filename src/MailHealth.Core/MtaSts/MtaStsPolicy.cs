namespace MailHealth.MtaSts;

/// <summary>A parsed MTA-STS policy (RFC 8461 section 3.2).</summary>
public sealed record MtaStsPolicy(MtaStsMode Mode, long MaxAgeSeconds, IReadOnlyList<MxPattern> Mx)
{
    /// <summary>RFC 8461 section 3.2: max_age is at most 31557600 seconds (a year).</summary>
    public const long MaxAgeLimit = 31557600;

    /// <summary>The first pattern that allows <paramref name="host"/>, or null (RFC 8461 section 4.1).</summary>
    public MxPattern? Match(string host) => Mx.FirstOrDefault(p => p.Matches(host));
}
