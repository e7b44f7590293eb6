namespace MailHealth.ReceiverReports;

/// <summary>
/// The result words of an aggregate report, normalised: lower case always (receivers write
/// <c>PASS</c>, <c>Pass</c>), and a word outside the schema read as the one it means, with a
/// deviation to note (<c>hardfail</c> where policy_evaluated allows only pass and fail).
/// </summary>
public static class AggregateValues
{
    public const string Pass = "pass";
    public const string Fail = "fail";
    public const string None = "none";

    // RFC 7489 appendix C DispositionType.
    private static readonly HashSet<string> Dispositions = new(StringComparer.Ordinal) { None, "quarantine", "reject" };

    // RFC 8601 section 2.7.1 (DKIM) and 2.7.2 (SPF); RFC 7489 appendix C DKIMResultType, SPFResultType.
    private static readonly HashSet<string> DkimResults = new(StringComparer.Ordinal) { None, Pass, Fail, "policy", "neutral", "temperror", "permerror" };
    private static readonly HashSet<string> SpfResults = new(StringComparer.Ordinal) { None, Pass, Fail, "softfail", "neutral", "temperror", "permerror" };

    // Spellings of other specifications and of reporters, and what they mean in RFC 8601's words.
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["hardfail"] = Fail, // RFC 4408's name for fail
        ["temp_error"] = "temperror",
        ["tempfail"] = "temperror",
        ["perm_error"] = "permerror",
        ["permfail"] = "permerror",
    };

    /// <summary>
    /// policy_evaluated dkim or spf: pass or fail (RFC 7489 appendix C DMARCResultType). Any other
    /// word (softfail, hardfail, neutral, an empty element) is no aligned pass, so it reads as fail.
    /// </summary>
    public static string Aligned(string? text, string element, out string? deviation)
    {
        var word = Lower(text);
        deviation = word switch
        {
            Pass or Fail => null,
            null => $"policy_evaluated {element} missing: read as fail",
            _ => $"policy_evaluated {element} '{word}' read as fail (pass or fail expected)",
        };
        return word == Pass ? Pass : Fail;
    }

    /// <summary>policy_evaluated disposition: none, quarantine or reject; missing reads as none.</summary>
    public static string Disposition(string? text, out string? deviation)
    {
        var word = Lower(text);
        deviation = word switch
        {
            null => "disposition missing: read as none",
            _ when Dispositions.Contains(word) => null,
            _ => $"disposition '{word}' is not none, quarantine or reject",
        };
        return word ?? None;
    }

    /// <summary>An auth_results DKIM result (RFC 8601 section 2.7.1); missing reads as none.</summary>
    public static string DkimResult(string? text, out string? deviation) => AuthResult(text, "dkim", DkimResults, out deviation);

    /// <summary>An auth_results SPF result (RFC 8601 section 2.7.2); missing reads as none.</summary>
    public static string SpfResult(string? text, out string? deviation) => AuthResult(text, "spf", SpfResults, out deviation);

    /// <summary>Trimmed and in lower case; null for nothing or only white space.</summary>
    public static string? Lower(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var trimmed = text.Trim();
        foreach (var c in trimmed)
        {
            if (char.IsUpper(c))
            {
                return trimmed.ToLowerInvariant();
            }
        }

        return trimmed;
    }

    private static string AuthResult(string? text, string method, HashSet<string> known, out string? deviation)
    {
        var word = Lower(text);
        if (word is null)
        {
            deviation = $"auth_results {method} result missing: read as none";
            return None;
        }

        if (known.Contains(word))
        {
            deviation = null;
            return word;
        }

        if (Aliases.TryGetValue(word, out var meant) && known.Contains(meant))
        {
            deviation = $"auth_results {method} result '{word}' read as {meant}";
            return meant;
        }

        deviation = $"auth_results {method} result '{word}' is not an RFC 8601 result";
        return word;
    }
}
