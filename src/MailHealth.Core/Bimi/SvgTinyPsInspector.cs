using System.Xml;

namespace MailHealth.Bimi;

/// <summary>
/// The basics of SVG Tiny Portable/Secure that BIMI logos must follow
/// (draft-svg-tiny-ps-abrotman): a root svg element with baseProfile="tiny-ps", a title, no
/// scripts, no references to anything outside the document. Not a full profile validator.
/// </summary>
public static class SvgTinyPsInspector
{
    private const string SvgNamespace = "http://www.w3.org/2000/svg";

    /// <summary>What is wrong with the logo; empty when it passes the basics.</summary>
    public static IReadOnlyList<string> Inspect(byte[] svg)
    {
        ArgumentNullException.ThrowIfNull(svg);
        var problems = new List<string>();
        var settings = new XmlReaderSettings
        {
            // No DTDs and no resolver: an entity or external DTD must not be fetched or expanded.
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreComments = true,
        };
        try
        {
            using var stream = new MemoryStream(svg);
            using var reader = XmlReader.Create(stream, settings);
            var root = true;
            var title = false;
            while (reader.Read())
            {
                if (reader.NodeType != XmlNodeType.Element)
                {
                    continue;
                }

                if (root)
                {
                    root = false;
                    if (reader.LocalName != "svg" || reader.NamespaceURI != SvgNamespace)
                    {
                        problems.Add($"the root element is <{reader.Name}>, not an SVG <svg>");
                    }

                    if (reader.GetAttribute("baseProfile") != "tiny-ps")
                    {
                        problems.Add("the root <svg> has no baseProfile=\"tiny-ps\"");
                    }
                }

                if (reader.LocalName == "title" && reader.Depth == 1)
                {
                    title = true;
                }

                if (reader.LocalName == "script")
                {
                    problems.Add("it contains a <script>");
                }

                if (reader.LocalName is "foreignObject" or "iframe" or "embed")
                {
                    problems.Add($"it contains a <{reader.LocalName}>");
                }

                for (var more = reader.MoveToFirstAttribute(); more; more = reader.MoveToNextAttribute())
                {
                    if (reader.LocalName == "href" && !reader.Value.StartsWith('#'))
                    {
                        problems.Add($"it refers to {reader.Value} outside the document");
                    }
                    else if (reader.LocalName.StartsWith("on", StringComparison.Ordinal) && reader.LocalName.Length > 2)
                    {
                        problems.Add($"it has an event handler ({reader.LocalName})");
                    }
                }

                reader.MoveToElement();
            }

            if (root)
            {
                problems.Add("it has no root element");
            }
            else if (!title)
            {
                problems.Add("it has no <title> (the brand name)");
            }
        }
        catch (XmlException) when (svg.AsSpan().IndexOf("<!DOCTYPE"u8) >= 0)
        {
            // The reader refuses a DTD before it reads on; say so rather than "not well-formed".
            problems.Add("it declares a DTD (<!DOCTYPE ...>): an SVG Tiny PS logo carries none, and a DTD can define entities that pull in other documents; remove it");
        }
        catch (XmlException e)
        {
            problems.Add($"it is not well-formed XML: {e.Message}");
        }

        return [.. problems.Distinct(StringComparer.Ordinal)];
    }
}
