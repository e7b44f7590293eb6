namespace MailHealth.Blocklists;

/// <summary>The RFC 5782 section 5 test of one zone for one family of questions.</summary>
/// <param name="Family">IPv4, IPv6 or domain questions.</param>
/// <param name="State">Whether the zone can be used for them.</param>
/// <param name="Detail">One line: why it cannot be used, or "test entry listed".</param>
/// <param name="Listed">The answer for the entry that must be listed.</param>
/// <param name="Unlisted">The answer for the entry that must not be listed.</param>
public sealed record ZoneTest(ZoneTestFamily Family, ZoneState State, string Detail, BlocklistAnswer Listed, BlocklistAnswer Unlisted)
{
    /// <summary>Evidence for the report: the questions and what came back.</summary>
    public object Evidence => new
    {
        family = Family.ToString().ToLowerInvariant(),
        state = State.ToString().ToLowerInvariant(),
        detail = Detail,
        listed = Listed.Query + ": " + Describe(Listed),
        unlisted = Unlisted.Query + ": " + Describe(Unlisted),
    };

    private static string Describe(BlocklistAnswer answer) => answer.Verdict switch
    {
        BlocklistVerdict.Failed => answer.Dns.Describe(),
        BlocklistVerdict.NotListed => "not listed",
        _ => string.Join(", ", answer.Codes.Select(c => c.Code)),
    };
}
