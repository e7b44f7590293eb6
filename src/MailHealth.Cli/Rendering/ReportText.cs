using System.Globalization;
using MailHealth.ReceiverReports;

namespace MailHealth.Cli.Rendering;

/// <summary>How the report commands write ranges, shares, kinds and places, the same in <c>parse</c> and <c>import</c>.</summary>
internal static class ReportText
{
    public static string Range(DateTimeOffset begin, DateTimeOffset end) =>
        Invariant($"{begin.UtcDateTime:yyyy-MM-dd HH:mm:ss} to {end.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC");

    public static string Share(double part, double whole) => whole == 0 ? "-" : Invariant($"{100.0 * part / whole:0.0}%");

    /// <summary>The file and, for a report inside it, where.</summary>
    public static string Where(string file, string? part) => part is null ? file : $"{file} ({part})";

    /// <summary>"DMARC aggregate report, " or "TLS report, " before a status; nothing for an input with no report.</summary>
    public static string KindPrefix(string? kind) => kind switch
    {
        ReceivedReportKindNames.Dmarc => "DMARC aggregate report, ",
        ReceivedReportKindNames.TlsRpt => "TLS report, ",
        _ => "",
    };

    public static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
