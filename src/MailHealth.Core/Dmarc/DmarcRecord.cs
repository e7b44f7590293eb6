using System.Text.RegularExpressions;
using MailHealth.Dkim;

namespace MailHealth.Dmarc;

/// <summary>
/// A DMARC Policy Record (RFC 9989 sections 4.7 and 4.8) parsed with every tag validated. Tag
/// names and keyword values are case-insensitive (ABNF literals, RFC 5234 section 2.3); only
/// "DMARC1" is case-sensitive (%s, RFC 7405). Invalid values are listed in <see cref="Problems"/>
/// and replaced by their defaults, as receivers do (RFC 9989 section 4.8).
/// </summary>
public sealed partial class DmarcRecord
{
    public const string Version1 = "DMARC1";

    /// <summary>Tags of RFC 7489 that RFC 9989 made historic (RFC 9989 appendix A.6 and C).</summary>
    public static IReadOnlyList<string> HistoricTagNames { get; } = ["pct", "rf", "ri"];

    private DmarcRecord(string text, TagList tags)
    {
        Text = text;
        Tags = tags;
    }

    public string Text { get; }

    public TagList Tags { get; }

    /// <summary>
    /// True when the first tag is v=DMARC1. Anything else is not a DMARC Policy Record and is
    /// discarded by the tree walk (RFC 9989 section 4.10 steps 2 and 6).
    /// </summary>
    public bool IsPolicyRecord => Tags.FirstName == "v" && Tags["v"] == Version1;

    /// <summary>p=, null when absent or invalid.</summary>
    public DmarcPolicy? Policy { get; private init; }

    /// <summary>sp=, null when absent or invalid.</summary>
    public DmarcPolicy? SubdomainPolicy { get; private init; }

    /// <summary>np=, null when absent or invalid.</summary>
    public DmarcPolicy? NonExistentPolicy { get; private init; }

    /// <summary>adkim=: strict (s) or relaxed (r, the default).</summary>
    public bool StrictDkimAlignment { get; private init; }

    /// <summary>aspf=: strict (s) or relaxed (r, the default).</summary>
    public bool StrictSpfAlignment { get; private init; }

    /// <summary>t=y: receivers apply one level weaker policy (RFC 9989 section 4.7).</summary>
    public bool Testing { get; private init; }

    /// <summary>psd=: 'y', 'n' or 'u' (the default).</summary>
    public char Psd { get; private init; } = 'u';

    /// <summary>fo= options (default 0).</summary>
    public IReadOnlyList<string> FailureOptions { get; private init; } = ["0"];

    public IReadOnlyList<DmarcReportUri> AggregateUris { get; private init; } = [];

    public IReadOnlyList<DmarcReportUri> FailureUris { get; private init; } = [];

    /// <summary>pct, rf, ri when present (historic since RFC 9989).</summary>
    public IReadOnlyList<string> HistoricTags { get; private init; } = [];

    /// <summary>Every tag that is malformed or has a value its grammar does not allow.</summary>
    public IReadOnlyList<string> Problems { get; private init; } = [];

    /// <summary>True when p= is valid and sp=/np= are absent or valid (RFC 9989 section 4.10.1).</summary>
    public bool HasValidPolicyTags { get; private init; }

    public bool HasValidAggregateUri => AggregateUris.Any(u => u.IsValid);

    /// <summary>
    /// Parses one TXT record. A record that is not a DMARC Policy Record (see
    /// <see cref="IsPolicyRecord"/>) is still parsed, so a near miss can be reported.
    /// </summary>
    public static DmarcRecord Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tags = TagList.Parse(text, lowerCaseNames: true);
        var problems = new List<string>(tags.Problems);
        var probe = new DmarcRecord(text, tags);
        if (!probe.IsPolicyRecord)
        {
            problems.Add(tags.FirstName != "v"
                ? $"the record does not start with v={Version1}: receivers ignore it"
                : $"v={tags["v"]} is not {Version1} (case-sensitive): receivers ignore the record");
        }

        var policy = Request(tags, "p", problems);
        var subdomain = Request(tags, "sp", problems);
        var nonExistent = Request(tags, "np", problems);
        var validPolicyTags = policy is not null
            && (tags["sp"] is null || subdomain is not null)
            && (tags["np"] is null || nonExistent is not null);

        return new DmarcRecord(text, tags)
        {
            Policy = policy,
            SubdomainPolicy = subdomain,
            NonExistentPolicy = nonExistent,
            HasValidPolicyTags = validPolicyTags,
            StrictDkimAlignment = Keyword(tags, "adkim", "rs", 'r', problems) == 's',
            StrictSpfAlignment = Keyword(tags, "aspf", "rs", 'r', problems) == 's',
            Testing = Keyword(tags, "t", "yn", 'n', problems) == 'y',
            Psd = Keyword(tags, "psd", "ynu", 'u', problems),
            FailureOptions = FailureReportingOptions(tags, problems),
            AggregateUris = UriList(tags, "rua", problems),
            FailureUris = UriList(tags, "ruf", problems),
            HistoricTags = [.. HistoricTagNames.Where(tags.Contains)],
            Problems = problems,
        };
    }

    public static string Name(DmarcPolicy policy) => policy.ToString().ToLowerInvariant();

    /// <summary>The parsed record for a report: text, every tag, and the values in effect.</summary>
    public IReadOnlyDictionary<string, object?> ToEvidence() => new Dictionary<string, object?>
    {
        ["text"] = Text,
        ["tags"] = Tags.Tags.ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal),
        ["p"] = Policy is { } p ? Name(p) : null,
        ["sp"] = SubdomainPolicy is { } sp ? Name(sp) : null,
        ["np"] = NonExistentPolicy is { } np ? Name(np) : null,
        ["adkim"] = StrictDkimAlignment ? "s" : "r",
        ["aspf"] = StrictSpfAlignment ? "s" : "r",
        ["fo"] = string.Join(':', FailureOptions),
        ["t"] = Testing ? "y" : "n",
        ["psd"] = Psd.ToString(),
        ["rua"] = AggregateUris.Select(u => u.Text).ToList(),
        ["ruf"] = FailureUris.Select(u => u.Text).ToList(),
        ["problems"] = Problems.Count > 0 ? Problems : null,
    };

    // dmarc-request = "none" / "quarantine" / "reject" (RFC 9989 section 4.8)
    private static DmarcPolicy? Request(TagList tags, string name, List<string> problems)
    {
        if (tags[name] is not { } value)
        {
            return null;
        }

        if (value.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            return DmarcPolicy.None;
        }

        if (value.Equals("quarantine", StringComparison.OrdinalIgnoreCase))
        {
            return DmarcPolicy.Quarantine;
        }

        if (value.Equals("reject", StringComparison.OrdinalIgnoreCase))
        {
            return DmarcPolicy.Reject;
        }

        problems.Add($"{name}={value} is not none, quarantine or reject");
        return null;
    }

    // dmarc-yorn, dmarc-psd, dmarc-rors: a single letter from a fixed set (RFC 9989 section 4.8).
    private static char Keyword(TagList tags, string name, string allowed, char fallback, List<string> problems)
    {
        if (tags[name] is not { } value)
        {
            return fallback;
        }

        if (value.Length == 1 && allowed.Contains(char.ToLowerInvariant(value[0]), StringComparison.Ordinal))
        {
            return char.ToLowerInvariant(value[0]);
        }

        problems.Add($"{name}={value} is not one of {string.Join(", ", allowed.ToCharArray())}");
        return fallback;
    }

    // dmarc-fo: 0 and 1 exclusive, d and s at most once each, colon-separated (RFC 9989 section 4.8).
    private static IReadOnlyList<string> FailureReportingOptions(TagList tags, List<string> problems)
    {
        if (tags["fo"] is not { } value)
        {
            return ["0"];
        }

        var options = TagList.SplitList(value).Select(o => o.ToLowerInvariant()).ToList();
        var valid = options.Count > 0
            && options.All(o => o is "0" or "1" or "d" or "s")
            && options.Distinct().Count() == options.Count
            && !(options.Contains("0") && options.Contains("1"));
        if (!valid)
        {
            problems.Add($"fo={value} is not a colon-separated list of 0 or 1, d, s (0 and 1 exclusive, each at most once)");
            return ["0"];
        }

        return options;
    }

    private static IReadOnlyList<DmarcReportUri> UriList(TagList tags, string name, List<string> problems)
    {
        if (tags[name] is not { } value)
        {
            return [];
        }

        var uris = DmarcReportUri.ParseList(value);
        problems.AddRange(uris.Where(u => !u.IsValid).Select(u => $"{name}: {u.Problem}"));
        return uris;
    }

    /// <summary>
    /// A TXT at a _dmarc name that was meant as a DMARC record but is not one (v=dmarc1, v not
    /// first, v=DMARC2): worth a finding, where an unrelated TXT (a site verification) is not.
    /// </summary>
    public bool LooksLikeDmarc => !IsPolicyRecord && LooksLikeDmarcText().IsMatch(Text);

    [GeneratedRegex(@"(^|;)\s*v\s*=\s*dmarc|dmarc1", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LooksLikeDmarcText();
}
