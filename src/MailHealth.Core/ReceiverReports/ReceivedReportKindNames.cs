namespace MailHealth.ReceiverReports;

/// <summary>A report kind as the JSON output, the stored rows and the API name it: <c>dmarc</c> or <c>tlsrpt</c>.</summary>
public static class ReceivedReportKindNames
{
    public const string Dmarc = "dmarc";

    public const string TlsRpt = "tlsrpt";

    public static string Name(this ReceivedReportKind kind) => kind switch
    {
        ReceivedReportKind.Dmarc => Dmarc,
        ReceivedReportKind.TlsRpt => TlsRpt,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a report kind"),
    };
}
