using System.Globalization;
using System.Text.Json.Nodes;
using MimeKit;

namespace MailHealth.Testing.Reports;

/// <summary>
/// Reports in the shapes large receivers send them, written here from the format's definition
/// and what is known of each sender's habits (no report file is copied): which elements they
/// write or leave out, which namespace, which container and which MIME labels.
/// </summary>
public static class Reporters
{
    /// <summary>Google's shape: no namespace and no version, no envelope_from, a zip attached.</summary>
    public static AggregateReportSpec Google(string domain, DateTimeOffset day, IEnumerable<AggregateRow> rows) => new AggregateReportSpec
    {
        Version = null,
        OrgName = "google.com",
        Email = "noreply-dmarc-support@google.com",
        ExtraContactInfo = "https://support.google.com/a/answer/2466580",
        ReportId = Id(day, 1),
        Domain = domain,
        P = "none",
        Sp = "none",
        Pct = "100",
        Np = "none",
        Rows = rows.Select(r => r with { EnvelopeFrom = null, EnvelopeTo = null }),
    }.ForDay(day);

    /// <summary>Microsoft's shape: XML Schema namespaces declared on the root, version 1.0, envelope_to and envelope_from, scope mfrom.</summary>
    public static AggregateReportSpec Microsoft(string domain, DateTimeOffset day, IEnumerable<AggregateRow> rows) => new AggregateReportSpec
    {
        XmlDeclaration = "<?xml version=\"1.0\"?>",
        RootAttributes = "xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"",
        OrgName = "Enterprise Outlook",
        Email = "dmarcreport@microsoft.com",
        ReportId = "a6f2c1d0e4b84f0c9d1e2f3a4b5c6d7e",
        Domain = domain,
        P = "quarantine",
        Sp = "quarantine",
        Pct = "100",
        Fo = "0",
        Rows = rows.Select(r => r with
        {
            EnvelopeTo = "example.net",
            SpfResults = [.. r.SpfResults.Select(s => s with { Scope = "mfrom" })],
        }),
    }.ForDay(day);

    /// <summary>Yahoo's shape: version absent, a numeric report id with a fraction, compact XML without line breaks.</summary>
    public static AggregateReportSpec Yahoo(string domain, DateTimeOffset day, IEnumerable<AggregateRow> rows) => new AggregateReportSpec
    {
        Version = null,
        OrgName = "Yahoo",
        Email = "dmarchelp@yahooinc.com",
        ReportId = Id(day, 2) + ".128",
        Domain = domain,
        Indented = false,
        Rows = rows,
    }.ForDay(day);

    /// <summary>A receiver on RFC 9990: its namespace, generator, discovery_method, np, testing, a file-level and a record-level extension.</summary>
    public static AggregateReportSpec Rfc9990(string domain, DateTimeOffset day, IEnumerable<AggregateRow> rows) => new AggregateReportSpec
    {
        Namespace = "urn:ietf:params:xml:ns:dmarc-2.0",
        RootAttributes = "xmlns:ext=\"urn:example:dmarc-extension\"",
        OrgName = "mail.example.net",
        Email = "dmarc@mail.example.net",
        ReportId = $"{domain}-{Id(day, 3)}",
        Generator = "Example DMARC reporter 2.1",
        Domain = domain,
        DiscoveryMethod = "treewalk",
        P = "reject",
        Np = "reject",
        Testing = "n",
        AfterPolicy = "<extension><ext:arc-override>never</ext:arc-override></extension>",
        Rows = rows.Select(r => r with { Extension = "<ext:arc-results><ext:seen>1</ext:seen></ext:arc-results>" }),
    }.ForDay(day);

    /// <summary>A small receiver that bends the schema: results in capitals, hardfail and softfail in policy_evaluated, no version, padded values.</summary>
    public static AggregateReportSpec Sloppy(string domain, DateTimeOffset day) => new AggregateReportSpec
    {
        Version = null,
        OrgName = "  Small Hosting  ",
        Email = null,
        ReportId = " 42 ",
        Domain = domain.ToUpperInvariant(),
        P = "Quarantine",
        Rows =
        [
            new AggregateRow { SourceIp = " 192.0.2.10 ", Count = " 3 ", Disposition = "NONE", Dkim = "PASS", Spf = "Pass", HeaderFrom = domain.ToUpperInvariant(), DkimResults = [new DkimSignatureResult(domain, "s1", "PASS")], SpfResults = [new SpfCheckResult(domain, "Pass")] },
            new AggregateRow { SourceIp = "198.51.100.20", Count = "2", Dkim = "fail", Spf = "hardfail", SpfResults = [new SpfCheckResult("example.org", "hardfail")] },
            new AggregateRow { SourceIp = "203.0.113.30", Count = "1", Dkim = "", Spf = "softfail", SpfResults = [new SpfCheckResult("example.org", "SoftFail")] },
        ],
    }.ForDay(day);

    /// <summary>The message Google sends: the report zipped, attached as application/zip.</summary>
    public static byte[] GoogleMessage(AggregateReportSpec spec) =>
        Mail(spec, "noreply-dmarc-support@google.com", "application/zip", Containers.Zip(($"{FileStem(spec)}.xml", AggregateXml.Bytes(spec))), ".zip");

    /// <summary>The message Microsoft sends: the report gzipped, attached as application/gzip.</summary>
    public static byte[] MicrosoftMessage(AggregateReportSpec spec) =>
        Mail(spec, "dmarcreport@microsoft.com", "application/gzip", Containers.Gzip(AggregateXml.Bytes(spec)), ".xml.gz");

    /// <summary>A message whose whole body is the gzipped report (no multipart).</summary>
    public static byte[] BodyOnlyMessage(AggregateReportSpec spec)
    {
        var message = ReportMail.Message("dmarc@mail.example.net", Subject(spec), ReportMail.Part("application/gzip", Containers.Gzip(AggregateXml.Bytes(spec)), FileStem(spec) + ".xml.gz"), Day(spec));
        return ReportMail.Bytes(message);
    }

    /// <summary>A message with the report as an uncompressed text/xml part shown inline.</summary>
    public static byte[] InlineXmlMessage(AggregateReportSpec spec)
    {
        var part = new TextPart("xml") { Text = System.Text.Encoding.UTF8.GetString(AggregateXml.Bytes(spec)) };
        var message = ReportMail.Message("dmarc@mail.example.net", Subject(spec), new Multipart("mixed") { new TextPart("plain") { Text = "Aggregate report below." }, part }, Day(spec));
        return ReportMail.Bytes(message);
    }

    /// <summary>Google's TLS report shape: mx-host as an array, date-times in UTC with Z.</summary>
    public static TlsReportSpec GoogleTls(string domain, DateTimeOffset day) => new TlsReportSpec
    {
        OrganizationName = "Google Inc.",
        ContactInfo = "smtp-tls-reporting@google.com",
        ReportId = $"{day:yyyy-MM-dd}T00:00:00Z_{domain}",
        Policies =
        [
            new TlsPolicySpec
            {
                PolicyType = "sts",
                PolicyDomain = domain,
                PolicyStrings = ["version: STSv1", "mode: enforce", $"mx: mx1.{domain}", $"mx: mx2.{domain}", "max_age: 604800"],
                MxHost = new JsonArray($"mx1.{domain}", $"mx2.{domain}"),
                Successful = 1200,
                Failed = 12,
                Failures =
                [
                    new TlsFailureSpec { ResultType = "certificate-expired", SendingMtaIp = "192.0.2.25", ReceivingMxHostname = $"mx2.{domain}", ReceivingIp = "203.0.113.25", FailedSessions = 12 },
                ],
            },
        ],
    }.ForDay(day);

    /// <summary>Microsoft's TLS report shape: mx-host as a string, failure details with reason codes.</summary>
    public static TlsReportSpec MicrosoftTls(string domain, DateTimeOffset day) => new TlsReportSpec
    {
        OrganizationName = "Microsoft Corporation",
        ContactInfo = "tlsrpt-noreply@microsoft.com",
        ReportId = "133512345678901234+" + domain,
        Policies =
        [
            new TlsPolicySpec
            {
                PolicyType = "sts",
                PolicyDomain = domain,
                MxHost = $"*.{domain}",
                Successful = 800,
                Failed = 3,
                Failures =
                [
                    new TlsFailureSpec { ResultType = "validation-failure", SendingMtaIp = "2001:db8::25", ReceivingMxHostname = $"mx1.{domain}", FailedSessions = 3, FailureReasonCode = "X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY" },
                ],
            },
            new TlsPolicySpec { PolicyType = "tlsa", PolicyDomain = domain, PolicyStrings = ["3 1 1 0123456789abcdef"], Successful = 40, Failed = 0 },
        ],
    }.ForDay(day);

    /// <summary>
    /// A small sender's TLS report: date-times without a zone, contact-info null, failure details
    /// without addresses, a count written as a string, fields nobody defined.
    /// </summary>
    public static TlsReportSpec SloppyTls(string domain, DateTimeOffset day) => new TlsReportSpec
    {
        OrganizationName = "Small Hosting",
        StartDatetime = day.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
        EndDatetime = day.AddDays(1).AddSeconds(-1).ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
        ContactInfoNull = true,
        ReportId = 77,
        Extra = new Dictionary<string, JsonNode?> { ["x-generator"] = "tlsrpt-sender 0.3", ["x-stats"] = new JsonObject { ["queued"] = 5 } },
        Policies =
        [
            new TlsPolicySpec
            {
                PolicyType = "no-policy-found",
                PolicyDomain = domain,
                PolicyStrings = [],
                Successful = "15",
                Failed = 2,
                Failures = [new TlsFailureSpec { ResultType = "starttls-not-supported", ReceivingMxHostname = $"mx.{domain}", FailedSessions = 2 }],
            },
        ],
    };

    private static byte[] Mail(AggregateReportSpec spec, string from, string mediaType, byte[] attachment, string extension) =>
        ReportMail.Bytes(ReportMail.WithAttachments(from, Subject(spec), Day(spec), ReportMail.Part(mediaType, attachment, FileStem(spec) + extension)));

    /// <summary>RFC 7489 section 7.2.1.1: receiver "!" policy domain "!" begin "!" end.</summary>
    private static string FileStem(AggregateReportSpec spec) => $"{spec.OrgName?.Trim()}!{spec.Domain?.ToLowerInvariant()}!{spec.Begin?.Trim()}!{spec.End?.Trim()}";

    private static string Subject(AggregateReportSpec spec) => $"Report Domain: {spec.Domain} Submitter: {spec.OrgName?.Trim()} Report-ID: <{spec.ReportId?.Trim()}>";

    private static DateTimeOffset Day(AggregateReportSpec spec) =>
        long.TryParse(spec.End, CultureInfo.InvariantCulture, out var end) ? DateTimeOffset.FromUnixTimeSeconds(end) : DateTimeOffset.UnixEpoch;

    private static string Id(DateTimeOffset day, int salt) => (day.ToUnixTimeSeconds() * 10 + salt).ToString(CultureInfo.InvariantCulture);
}
