using System.Security;
using System.Text;

namespace MailHealth.Testing.Reports;

/// <summary>
/// Writes an <see cref="AggregateReportSpec"/> as the XML of RFC 7489 appendix C (or RFC 9990 with
/// its namespace), element by element as the spec gives them, rows as they are enumerated: a
/// report of 900,000 rows is written to a stream without being held.
/// </summary>
public static class AggregateXml
{
    public static byte[] Bytes(AggregateReportSpec spec)
    {
        using var buffer = new MemoryStream();
        Write(spec, buffer);
        return buffer.ToArray();
    }

    public static void Write(AggregateReportSpec spec, Stream output)
    {
        ArgumentNullException.ThrowIfNull(spec);
        using var writer = new StreamWriter(output, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
        new Writer(writer, spec.Indented).Report(spec);
    }

    private sealed class Writer(TextWriter text, bool indented)
    {
        private int _depth;

        public void Report(AggregateReportSpec spec)
        {
            text.Write(spec.XmlDeclaration);
            var ns = spec.Namespace is null ? "" : $" xmlns=\"{spec.Namespace}\"";
            var attributes = spec.RootAttributes is null ? "" : " " + spec.RootAttributes;
            Open($"feedback{ns}{attributes}");
            Leaf("version", spec.Version);
            Open("report_metadata");
            Leaf("org_name", spec.OrgName);
            Leaf("email", spec.Email);
            Leaf("extra_contact_info", spec.ExtraContactInfo);
            Leaf("report_id", spec.ReportId);
            Open("date_range");
            Leaf("begin", spec.Begin);
            Leaf("end", spec.End);
            Close("date_range");
            foreach (var error in spec.Errors)
            {
                Leaf("error", error);
            }

            Leaf("generator", spec.Generator);
            Close("report_metadata");
            if (spec.WritePolicy)
            {
                Open("policy_published");
                Leaf("domain", spec.Domain);
                Leaf("discovery_method", spec.DiscoveryMethod);
                Leaf("adkim", spec.Adkim);
                Leaf("aspf", spec.Aspf);
                Leaf("p", spec.P);
                Leaf("sp", spec.Sp);
                Leaf("np", spec.Np);
                Leaf("pct", spec.Pct);
                Leaf("fo", spec.Fo);
                Leaf("testing", spec.Testing);
                Close("policy_published");
            }

            Raw(spec.AfterPolicy);
            foreach (var row in spec.Rows)
            {
                Record(row);
            }

            Close("feedback");
            text.Write('\n');
        }

        private void Record(AggregateRow row)
        {
            Open("record");
            Open("row");
            Leaf("source_ip", row.SourceIp);
            Leaf("count", row.Count);
            Open("policy_evaluated");
            Leaf("disposition", row.Disposition);
            Leaf("dkim", row.Dkim);
            Leaf("spf", row.Spf);
            foreach (var (type, comment) in row.Reasons)
            {
                Open("reason");
                Leaf("type", type);
                Leaf("comment", comment);
                Close("reason");
            }

            Close("policy_evaluated");
            Close("row");
            Open("identifiers");
            Leaf("envelope_to", row.EnvelopeTo);
            Leaf("envelope_from", row.EnvelopeFrom);
            Leaf("header_from", row.HeaderFrom);
            Close("identifiers");
            Open("auth_results");
            foreach (var dkim in row.DkimResults)
            {
                Open("dkim");
                Leaf("domain", dkim.Domain);
                Leaf("selector", dkim.Selector);
                Leaf("result", dkim.Result);
                Leaf("human_result", dkim.HumanResult);
                Close("dkim");
            }

            foreach (var spf in row.SpfResults)
            {
                Open("spf");
                Leaf("domain", spf.Domain);
                Leaf("scope", spf.Scope);
                Leaf("result", spf.Result);
                Close("spf");
            }

            Close("auth_results");
            Raw(row.Extension);
            Close("record");
        }

        /// <summary>A start tag, with whatever attributes <paramref name="tag"/> carries.</summary>
        private void Open(string tag)
        {
            Indent();
            text.Write('<');
            text.Write(tag);
            text.Write('>');
            _depth++;
        }

        private void Close(string name)
        {
            _depth--;
            Indent();
            text.Write("</");
            text.Write(name);
            text.Write('>');
        }

        private void Leaf(string name, string? value)
        {
            if (value is null)
            {
                return;
            }

            Indent();
            text.Write($"<{name}>{SecurityElement.Escape(value)}</{name}>");
        }

        private void Raw(string? xml)
        {
            if (xml is not null)
            {
                Indent();
                text.Write(xml);
            }
        }

        private void Indent()
        {
            if (indented)
            {
                text.Write('\n');
                text.Write(new string(' ', _depth * 2));
            }
        }
    }
}
