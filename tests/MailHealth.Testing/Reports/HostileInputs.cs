using System.IO.Compression;
using System.Text;

namespace MailHealth.Testing.Reports;

/// <summary>Inputs made to hurt a report parser: entity tricks, bombs, archives of thousands of entries, cut documents, oversized messages.</summary>
public static class HostileInputs
{
    private const string Metadata =
        "<report_metadata><org_name>{0}</org_name><email>x@example.net</email><report_id>1</report_id>" +
        "<date_range><begin>1700000000</begin><end>1700086399</end></date_range></report_metadata>" +
        "<policy_published><domain>example.com</domain><p>none</p></policy_published>";

    /// <summary>An external entity that would read a local file into org_name (XXE).</summary>
    public static byte[] ExternalEntity(string path = "/etc/passwd") => Encoding.UTF8.GetBytes(
        $"<?xml version=\"1.0\"?>\n<!DOCTYPE feedback [<!ENTITY xxe SYSTEM \"file://{path}\">]>\n<feedback>{string.Format(System.Globalization.CultureInfo.InvariantCulture, Metadata, "&xxe;")}</feedback>");

    /// <summary>"Billion laughs": ten levels of ten references, a gigabyte of "lol" once expanded.</summary>
    public static byte[] BillionLaughs()
    {
        var dtd = new StringBuilder("<!DOCTYPE feedback [\n<!ENTITY lol0 \"lol\">\n");
        for (var i = 1; i <= 9; i++)
        {
            dtd.Append(System.Globalization.CultureInfo.InvariantCulture, $"<!ENTITY lol{i} \"{string.Concat(Enumerable.Repeat($"&lol{i - 1};", 10))}\">\n");
        }

        dtd.Append("]>\n");
        return Encoding.UTF8.GetBytes($"<?xml version=\"1.0\"?>\n{dtd}<feedback>{string.Format(System.Globalization.CultureInfo.InvariantCulture, Metadata, "&lol9;")}</feedback>");
    }

    /// <summary>A DOCTYPE behind a comment longer than the part of the input a format is recognised from: the XML reader itself must refuse it.</summary>
    public static byte[] DoctypeAfterLongComment() => Encoding.UTF8.GetBytes(
        $"<?xml version=\"1.0\"?>\n<!--{new string('c', 10_000)}-->\n<!DOCTYPE feedback [<!ENTITY e \"x\">]>\n<feedback>{string.Format(System.Globalization.CultureInfo.InvariantCulture, Metadata, "&e;")}</feedback>");

    /// <summary>
    /// A gzip that expands to <paramref name="expandedBytes"/>: a report whose org_name is one
    /// endless value. Written in chunks, never held expanded.
    /// </summary>
    public static byte[] GzipBomb(long expandedBytes)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes("<?xml version=\"1.0\"?><feedback><report_metadata><org_name>"));
            var chunk = Encoding.ASCII.GetBytes(new string('A', 1 << 16));
            for (long written = 0; written < expandedBytes; written += chunk.Length)
            {
                gzip.Write(chunk);
            }
        }

        return buffer.ToArray();
    }

    /// <summary>A zip of <paramref name="entries"/> small XML entries.</summary>
    public static byte[] ZipOfEntries(int entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            var body = Encoding.UTF8.GetBytes("<feedback/>");
            for (var i = 0; i < entries; i++)
            {
                using var entry = zip.CreateEntry($"report-{i}.xml", CompressionLevel.NoCompression).Open();
                entry.Write(body);
            }
        }

        return buffer.ToArray();
    }

    /// <summary>The first <paramref name="fraction"/> of a document, cut mid-element.</summary>
    public static byte[] Truncated(byte[] document, double fraction) => document[..(int)(document.Length * fraction)];

    /// <summary>A well-formed message of about <paramref name="bytes"/> bytes: a large attachment of noise.</summary>
    public static byte[] LargeMessage(int bytes)
    {
        var noise = new byte[bytes * 3 / 4];
        new Random(16).NextBytes(noise);
        return ReportMail.Bytes(ReportMail.WithAttachments("dmarc@mail.example.net", "A large report", DateTimeOffset.UnixEpoch, ReportMail.Part("application/gzip", noise, "large.xml.gz")));
    }
}
