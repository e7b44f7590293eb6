using System.Globalization;
using System.Text;
using MailHealth.Dns;

namespace MailHealth.MtaSts;

/// <summary>
/// Parses a policy body (RFC 8461 section 3.2): <c>key: value</c> lines ended by CRLF or LF.
/// Every problem is collected, so one report names all of them.
/// </summary>
public static class MtaStsPolicyParser
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static MtaStsPolicyParseResult Parse(ReadOnlySpan<byte> body)
    {
        string text;
        try
        {
            text = StrictUtf8.GetString(body);
        }
        catch (DecoderFallbackException)
        {
            return new MtaStsPolicyParseResult(null, ["the policy is not valid UTF-8 text"]);
        }

        return Parse(text);
    }

    public static MtaStsPolicyParseResult Parse(string text)
    {
        var errors = new List<string>();
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        var mx = new List<MxPattern>();
        var lineNumber = 0;
        foreach (var rawLine in text.Split('\n'))
        {
            lineNumber++;
            var line = rawLine.EndsWith('\r') ? rawLine[..^1] : rawLine;
            // Blank lines are outside the ABNF, but a trailing one is common and harmless: skip them.
            if (line.Trim().Length == 0)
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                errors.Add($"line {lineNumber} is not 'key: value': '{Shorten(line)}'");
                continue;
            }

            var key = line[..colon];
            var value = line[(colon + 1)..].Trim(' ', '\t');
            if (!VersionedTxtRecord.IsExtensionName(key))
            {
                errors.Add($"line {lineNumber} has an invalid key '{Shorten(key)}'");
                continue;
            }

            if (key == "mx")
            {
                if (MxPattern.TryParse(value, out var pattern))
                {
                    mx.Add(pattern);
                }
                else
                {
                    errors.Add($"mx '{Shorten(value)}' is neither a host name nor *.suffix");
                }

                continue;
            }

            // RFC 8461 section 3.2: of a duplicated non-mx field only the first counts.
            fields.TryAdd(key, value);
        }

        if (!fields.TryGetValue("version", out var version))
        {
            errors.Add("the version field is missing");
        }
        else if (version != "STSv1")
        {
            errors.Add($"version '{Shorten(version)}' is not STSv1");
        }

        MtaStsMode? mode = null;
        if (!fields.TryGetValue("mode", out var modeText))
        {
            errors.Add("the mode field is missing");
        }
        else
        {
            mode = modeText switch
            {
                "enforce" => MtaStsMode.Enforce,
                "testing" => MtaStsMode.Testing,
                "none" => MtaStsMode.None,
                _ => null,
            };
            if (mode is null)
            {
                errors.Add($"mode '{Shorten(modeText)}' is not enforce, testing or none");
            }
        }

        long? maxAge = null;
        if (!fields.TryGetValue("max_age", out var maxAgeText))
        {
            errors.Add("the max_age field is missing");
        }
        else if (maxAgeText.Length is 0 or > 10 || !maxAgeText.All(char.IsAsciiDigit)
            || !long.TryParse(maxAgeText, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            errors.Add($"max_age '{Shorten(maxAgeText)}' is not a number of seconds");
        }
        else if (seconds > MtaStsPolicy.MaxAgeLimit)
        {
            errors.Add($"max_age {seconds} is above the limit of {MtaStsPolicy.MaxAgeLimit} seconds");
        }
        else
        {
            maxAge = seconds;
        }

        if (mx.Count == 0 && mode is not MtaStsMode.None)
        {
            errors.Add("no mx pattern: every mode but none needs at least one");
        }

        var policy = errors.Count == 0 && mode is { } m && maxAge is { } age ? new MtaStsPolicy(m, age, mx) : null;
        return new MtaStsPolicyParseResult(policy, errors);
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "...";
}
