using System.Globalization;
using System.Net;
using MailHealth.Network;

namespace MailHealth.ReceiverReports;

/// <summary>
/// Reads one &lt;record&gt; (RFC 7489 appendix C RecordType; RFC 9990 "Contents of the record
/// element") into an <see cref="AggregateRecord"/>, or drops it when it cannot be counted (no
/// usable source_ip or count), noting why. Deviations are read past and noted once per kind:
/// missing envelope_from, no DKIM result, empty elements, PASS in capitals, hardfail.
/// </summary>
internal sealed class AggregateRecordReader(ReportXmlReader xml, ReportWarnings warnings)
{
    private static readonly string[] IdentifierNames = ["header_from", "envelope_from", "envelope_to"];
    private static readonly string[] AuthResultNames = ["domain", "selector", "scope", "result", "human_result"];
    private static readonly string[] ReasonNames = ["type", "comment"];

    /// <summary>Reads the record the reader is on; null when it was dropped.</summary>
    public AggregateRecord? Read(int index)
    {
        var fields = new Fields();
        var depth = xml.Enter();
        while (xml.NextChild(depth))
        {
            switch (xml.Name)
            {
                case "row":
                    ReadRow(fields);
                    break;
                case "identifiers":
                    fields.Identifiers = xml.Values(IdentifierNames);
                    break;
                case "auth_results":
                    ReadAuthResults(fields);
                    break;
                default:
                    xml.Skip();
                    break;
            }
        }

        return Build(fields, index);
    }

    private void ReadRow(Fields fields)
    {
        var depth = xml.Enter();
        while (xml.NextChild(depth))
        {
            switch (xml.Name)
            {
                case "source_ip":
                    fields.SourceIp = xml.Text();
                    break;
                case "count":
                    fields.Count = xml.Text();
                    break;
                case "policy_evaluated":
                    ReadPolicyEvaluated(fields);
                    break;
                default:
                    xml.Skip();
                    break;
            }
        }
    }

    private void ReadPolicyEvaluated(Fields fields)
    {
        var depth = xml.Enter();
        while (xml.NextChild(depth))
        {
            switch (xml.Name)
            {
                case "disposition":
                    fields.Disposition = xml.Text();
                    break;
                case "dkim":
                    fields.Dkim = xml.Text();
                    break;
                case "spf":
                    fields.Spf = xml.Text();
                    break;
                case "reason":
                    // A reason without its type says nothing and is left out.
                    if (xml.Values(ReasonNames) is [{ } type, var comment] && AggregateValues.Lower(type) is { } word)
                    {
                        (fields.Reasons ??= []).Add(new PolicyOverrideReason(word, ReportXmlReader.NonEmpty(comment)));
                    }

                    break;
                default:
                    xml.Skip();
                    break;
            }
        }
    }

    private void ReadAuthResults(Fields fields)
    {
        var depth = xml.Enter();
        while (xml.NextChild(depth))
        {
            switch (xml.Name)
            {
                case "dkim":
                    (fields.DkimTexts ??= []).Add(xml.Values(AuthResultNames));
                    break;
                case "spf":
                    (fields.SpfTexts ??= []).Add(xml.Values(AuthResultNames));
                    break;
                default:
                    xml.Skip();
                    break;
            }
        }
    }

    private AggregateRecord? Build(Fields fields, int index)
    {
        var where = string.Create(CultureInfo.InvariantCulture, $"record {index}");
        if (!TryReadAddress(fields.SourceIp, out var address))
        {
            Drop(fields.SourceIp is null ? "source_ip missing" : "source_ip is not an IP address", where, fields.SourceIp);
            return null;
        }

        if (fields.Count is null)
        {
            Drop("count missing", where, null);
            return null;
        }

        if (!long.TryParse(fields.Count, NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            Drop("count is not a whole number", where, fields.Count);
            return null;
        }

        var disposition = AggregateValues.Disposition(fields.Disposition, out var deviation);
        Note(deviation, where);
        var dkim = AggregateValues.Aligned(fields.Dkim, "dkim", out deviation);
        Note(deviation, where);
        var spf = AggregateValues.Aligned(fields.Spf, "spf", out deviation);
        Note(deviation, where);
        var (headerFrom, envelopeFrom, envelopeTo) = fields.Identifiers is [var h, var f, var t] ? (h, f, t) : (null, null, null);
        if (ReportXmlReader.NonEmpty(headerFrom) is null)
        {
            Note("header_from missing", where);
        }

        if (xml.ValueCut)
        {
            xml.ValueCut = false;
            Note(string.Create(CultureInfo.InvariantCulture, $"a value longer than {ReportXmlReader.MaxValueLength} characters was cut"), where);
        }

        return new AggregateRecord
        {
            SourceIp = address,
            Count = count,
            Disposition = disposition,
            Dkim = dkim,
            Spf = spf,
            Reasons = fields.Reasons ?? (IReadOnlyList<PolicyOverrideReason>)[],
            HeaderFrom = Domain(headerFrom, "header_from", where),
            // Present but empty: the null reverse-path (RFC 9990); absent: not reported.
            EnvelopeFrom = envelopeFrom is "" ? "" : Domain(envelopeFrom, "envelope_from", where),
            EnvelopeTo = Domain(envelopeTo, "envelope_to", where),
            DkimResults = fields.DkimTexts?.ConvertAll(t => new DkimAuthResult(
                Domain(t[0], "auth_results dkim domain", where), ReportXmlReader.NonEmpty(t[1]), Result(AggregateValues.DkimResult(t[3], out var d), d, where), ReportXmlReader.NonEmpty(t[4])))
                ?? (IReadOnlyList<DkimAuthResult>)[],
            SpfResults = fields.SpfTexts?.ConvertAll(t => new SpfAuthResult(
                Domain(t[0], "auth_results spf domain", where), AggregateValues.Lower(t[2]), Result(AggregateValues.SpfResult(t[3], out var d), d, where)))
                ?? (IReadOnlyList<SpfAuthResult>)[],
        };
    }

    /// <summary>A source address strictly as written, an IPv4-mapped IPv6 address as its IPv4 address.</summary>
    private static bool TryReadAddress(string? text, out IPAddress address)
    {
        if (IpAddressText.TryParse(text, out var parsed))
        {
            address = parsed.IsIPv4MappedToIPv6 ? parsed.MapToIPv4() : parsed;
            return true;
        }

        address = IPAddress.None;
        return false;
    }

    /// <summary>A domain in lower case without a final dot; an address where a domain belongs gives its domain.</summary>
    private string? Domain(string? text, string element, string where)
    {
        var domain = AggregateValues.Lower(text)?.TrimEnd('.');
        if (domain is not null && domain.LastIndexOf('@') is var at and >= 0)
        {
            Note($"{element} holds an address: its domain was kept", where);
            domain = domain[(at + 1)..];
        }

        return string.IsNullOrEmpty(domain) ? null : domain;
    }

    private string Result(string value, string? deviation, string where)
    {
        Note(deviation, where);
        return value;
    }

    private void Note(string? deviation, string where)
    {
        if (deviation is not null)
        {
            warnings.Note(deviation, where);
        }
    }

    private void Drop(string why, string where, string? value) =>
        warnings.Note($"record dropped: {why}", value is null ? where : $"{where}: '{Shorten(value)}'");

    private static string Shorten(string value) => value.Length <= 64 ? value : value[..64] + "...";

    /// <summary>The texts of one record as the document gives them, before they are checked.</summary>
    private sealed class Fields
    {
        public string? SourceIp { get; set; }

        public string? Count { get; set; }

        public string? Disposition { get; set; }

        public string? Dkim { get; set; }

        public string? Spf { get; set; }

        public List<PolicyOverrideReason>? Reasons { get; set; }

        /// <summary>header_from, envelope_from, envelope_to ("" when present but empty); null without identifiers.</summary>
        public string?[]? Identifiers { get; set; }

        /// <summary>Each auth_results dkim, then spf, as <see cref="AuthResultNames"/> orders their values.</summary>
        public List<string?[]>? DkimTexts { get; set; }

        public List<string?[]>? SpfTexts { get; set; }
    }
}
