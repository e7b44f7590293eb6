using System.Globalization;

namespace MailHealth.ReceiverReports;

/// <summary>
/// Reads a DMARC aggregate report's XML (RFC 7489 appendix C, with no namespace; RFC 9990, in
/// urn:ietf:params:xml:ns:dmarc-2.0): the version, report_metadata and policy_published, which
/// come before the records, then hands the records over to stream. Missing required metadata
/// (org_name, report_id, date_range, policy_published/domain) makes the report invalid with a
/// reason naming the element; unknown elements are ignored.
/// </summary>
internal static class AggregateReportParser
{
    private const string Root = "feedback";

    private static readonly string[] RangeNames = ["begin", "end"];

    // policy_published, in the order Header reads them.
    private static readonly string[] PolicyNames = ["domain", "discovery_method", "p", "sp", "np", "pct", "fo", "adkim", "aspf", "testing"];

    /// <summary>
    /// Reads the document up to its first record. <paramref name="input"/> (the document's stream
    /// and what lies under it) is released with the records, or at once when the report is invalid.
    /// </summary>
    public static ReceivedReport Read(Stream document, string? part, IDisposable? input, CancellationToken cancellationToken)
    {
        var warnings = new ReportWarnings();
        var xml = new ReportXmlReader(document);
        var kind = default(ReceivedReportKind?);
        var handedOver = false;
        try
        {
            if (!xml.MoveToRoot())
            {
                return ReceivedReport.Invalid(part, null, "XML without a root element");
            }

            if (xml.Name != Root)
            {
                return ReceivedReport.Invalid(part, null, $"XML whose root element is <{xml.Name}>, not the <{Root}> of a DMARC aggregate report");
            }

            kind = ReceivedReportKind.Dmarc;
            var header = new Header(xml.Namespace);
            var depth = xml.Enter();
            var onRecord = false;
            while (!onRecord && xml.NextChild(depth))
            {
                switch (xml.Name)
                {
                    case "version":
                        header.Version = xml.Text();
                        break;
                    case "report_metadata":
                        ReadMetadata(xml, header);
                        break;
                    case "policy_published":
                        header.Published = xml.Values(PolicyNames);
                        break;
                    case "record":
                        onRecord = true;
                        break;
                    default:
                        xml.Skip();
                        break;
                }
            }

            if (header.Problem(onRecord, warnings) is { } problem)
            {
                return ReceivedReport.Invalid(part, kind, problem, warnings);
            }

            if (!onRecord)
            {
                warnings.Add("the report holds no record");
            }

            if (xml.ValueCut)
            {
                xml.ValueCut = false;
                warnings.Add(string.Create(CultureInfo.InvariantCulture, $"a metadata value longer than {ReportXmlReader.MaxValueLength} characters was cut"));
            }

            var cursor = new AggregateRecordCursor(xml, depth, onRecord, input, warnings, cancellationToken);
            var report = ReceivedReport.Of(part, new AggregateReport(header.Metadata(), header.Policy(), cursor), warnings);
            cursor.Report = report;
            handedOver = true;
            return report;
        }
        catch (Exception e) when (ReadFailure.Reason(e) is { } reason)
        {
            return ReceivedReport.Invalid(part, kind, reason, warnings);
        }
        finally
        {
            if (!handedOver)
            {
                xml.Dispose();
                input?.Dispose();
            }
        }
    }

    private static void ReadMetadata(ReportXmlReader xml, Header header)
    {
        var depth = xml.Enter();
        while (xml.NextChild(depth))
        {
            switch (xml.Name)
            {
                case "org_name":
                    header.OrgName = xml.Text();
                    break;
                case "email":
                    header.Email = xml.Text();
                    break;
                case "extra_contact_info":
                    header.ExtraContactInfo = xml.Text();
                    break;
                case "report_id":
                    header.ReportId = xml.Text();
                    break;
                case "date_range":
                    var range = xml.Values(RangeNames);
                    (header.Begin, header.End) = (ReportXmlReader.NonEmpty(range[0]), ReportXmlReader.NonEmpty(range[1]));
                    break;
                case "error":
                    if (xml.Text() is { } error)
                    {
                        header.Errors.Add(error);
                    }

                    break;
                case "generator":
                    header.Generator = xml.Text();
                    break;
                default:
                    xml.Skip();
                    break;
            }
        }
    }

    /// <summary>The metadata as the document gives it, checked once the records begin.</summary>
    private sealed class Header(string? xmlNamespace)
    {
        public string? Version { get; set; }

        public string? OrgName { get; set; }

        public string? Email { get; set; }

        public string? ExtraContactInfo { get; set; }

        public string? ReportId { get; set; }

        public string? Begin { get; set; }

        public string? End { get; set; }

        public List<string> Errors { get; } = [];

        public string? Generator { get; set; }

        /// <summary>policy_published's values in the order of <see cref="PolicyNames"/>; all null without it.</summary>
        public string?[] Published { get; set; } = new string?[PolicyNames.Length];

        private DateTimeOffset _begin;
        private DateTimeOffset _end;

        /// <summary>Why the report cannot be used (a required element missing or unreadable); null when it can.</summary>
        public string? Problem(bool onRecord, ReportWarnings warnings)
        {
            // RFC 7489 appendix C and RFC 9990 put the metadata before the records.
            var where = onRecord ? " before the first record" : "";
            string? Missing(string element) => $"{element} is missing{where}";

            if (OrgName is null)
            {
                return Missing("report_metadata/org_name");
            }

            if (ReportId is null)
            {
                return Missing("report_metadata/report_id");
            }

            if (Begin is null || End is null)
            {
                return Missing(Begin is null ? "report_metadata/date_range/begin" : "report_metadata/date_range/end");
            }

            if (Lowered("domain") is null)
            {
                return Missing("policy_published/domain");
            }

            if (!ReportTime.TryReadEpoch(Begin, "date_range/begin", warnings, out _begin, out var problem)
                || !ReportTime.TryReadEpoch(End, "date_range/end", warnings, out _end, out problem))
            {
                return problem;
            }

            if (_end < _begin)
            {
                return $"report_metadata/date_range/end ({End}) is before its begin ({Begin})";
            }

            if (Lowered("pct") is { } pct && !int.TryParse(pct, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                warnings.Add($"policy_published/pct '{pct}' is not a number: left out");
            }

            return null;
        }

        public AggregateMetadata Metadata() => new()
        {
            Namespace = xmlNamespace,
            Version = Version,
            OrgName = OrgName!,
            Email = Email,
            ExtraContactInfo = ExtraContactInfo,
            ReportId = ReportId!,
            Begin = _begin,
            End = _end,
            Errors = Errors,
            Generator = Generator,
        };

        public AggregatePolicy Policy() => new()
        {
            Domain = Lowered("domain")!.TrimEnd('.'),
            DiscoveryMethod = Lowered("discovery_method"),
            P = Lowered("p"),
            Sp = Lowered("sp"),
            Np = Lowered("np"),
            Pct = int.TryParse(Lowered("pct"), NumberStyles.None, CultureInfo.InvariantCulture, out var pct) ? pct : null,
            Fo = Lowered("fo"),
            Adkim = Lowered("adkim"),
            Aspf = Lowered("aspf"),
            Testing = Lowered("testing"),
        };

        private string? Lowered(string name) => AggregateValues.Lower(Published[Array.IndexOf(PolicyNames, name)]);
    }
}
