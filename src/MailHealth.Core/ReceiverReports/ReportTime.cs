using System.Globalization;

namespace MailHealth.ReceiverReports;

/// <summary>The times of reports: DMARC's seconds since the epoch, TLS-RPT's RFC 3339 date-times, and how receivers bend them.</summary>
internal static class ReportTime
{
    /// <summary>
    /// A date_range begin or end: whole seconds since the epoch (RFC 7489 appendix C). A fraction
    /// is cut and a date-time is read as one (UTC when it has no zone), each with a warning.
    /// </summary>
    public static bool TryReadEpoch(string text, string element, ReportWarnings warnings, out DateTimeOffset time, out string? problem)
    {
        problem = null;
        time = default;
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds <= DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            time = DateTimeOffset.FromUnixTimeSeconds(seconds);
            return true;
        }

        if (decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var fraction) && fraction <= DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            warnings.Add($"{element} '{text}' is not whole seconds: the fraction was cut");
            time = DateTimeOffset.FromUnixTimeSeconds((long)fraction);
            return true;
        }

        if (TryReadDateTime(text, out time, out var hadZone))
        {
            warnings.Add($"{element} '{text}' is a date-time, not seconds since the epoch{(hadZone ? "" : ": read as UTC")}");
            return true;
        }

        problem = $"report_metadata/{element} '{text}' is not a time";
        return false;
    }

    /// <summary>
    /// An RFC 3339 date-time (RFC 8460 section 4.4). Without a zone it is read as UTC, which the
    /// report's day is meant in, and <paramref name="hadZone"/> is false.
    /// </summary>
    public static bool TryReadDateTime(string text, out DateTimeOffset time, out bool hadZone)
    {
        hadZone = false;
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time))
        {
            return false;
        }

        // RoundtripKind says whether the text carried a zone: Unspecified when it did not.
        hadZone = DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed) && parsed.Kind != DateTimeKind.Unspecified;
        return true;
    }
}
