using System.Text;

namespace MailHealth.ReceiverReports;

/// <summary>
/// Recognises a format from its first bytes, never from a file name or a MIME type: receivers
/// send a ".zip" that is gzip, XML as application/octet-stream, gzip as text/plain.
/// </summary>
internal static class ContentSniffer
{
    /// <summary>How much is looked at: enough for an XML declaration and comments before a DOCTYPE.</summary>
    public const int HeadLength = 4096;

    /// <summary>
    /// Reads the head of <paramref name="stream"/> and returns its format and a stream that reads
    /// from the start again: the same stream moved back when it can seek (a zip needs that).
    /// </summary>
    public static (ContentFormat Format, Stream Content) Peek(Stream stream)
    {
        var start = stream.CanSeek ? stream.Position : -1;
        var head = new byte[HeadLength];
        var length = 0;
        int read;
        while (length < head.Length && (read = stream.Read(head, length, head.Length - length)) > 0)
        {
            length += read;
        }

        var format = Recognise(head.AsSpan(0, length));
        if (start >= 0)
        {
            stream.Position = start;
            return (format, stream);
        }

        return (format, new PrefixedStream(head.AsMemory(0, length), stream));
    }

    public static ContentFormat Recognise(ReadOnlySpan<byte> head)
    {
        if (head.IsEmpty)
        {
            return ContentFormat.Empty;
        }

        // RFC 1952 section 2.3.1: ID1 ID2.
        if (head is [0x1F, 0x8B, ..])
        {
            return ContentFormat.Gzip;
        }

        // A local file header, an empty archive's end record, a spanned archive's marker.
        if (head is [(byte)'P', (byte)'K', 3, 4, ..] or [(byte)'P', (byte)'K', 5, 6, ..] or [(byte)'P', (byte)'K', 7, 8, ..])
        {
            return ContentFormat.Zip;
        }

        var text = Decode(head).TrimStart();
        if (text.StartsWith('<'))
        {
            return Markup(text);
        }

        if (text.StartsWith('{') || text.StartsWith('['))
        {
            return ContentFormat.Json;
        }

        return LooksLikeMessage(text) ? ContentFormat.Message : ContentFormat.Unknown;
    }

    /// <summary>The head as text, in the encoding its byte order mark names (UTF-8 without one).</summary>
    private static string Decode(ReadOnlySpan<byte> head) => head switch
    {
        [0xEF, 0xBB, 0xBF, ..] => Encoding.UTF8.GetString(head[3..]),
        [0xFF, 0xFE, ..] => Encoding.Unicode.GetString(head[2..]),
        [0xFE, 0xFF, ..] => Encoding.BigEndianUnicode.GetString(head[2..]),
        _ => Encoding.UTF8.GetString(head),
    };

    /// <summary>XML, XML with a DTD, or HTML: past the declaration and comments, the DOCTYPE or first element says.</summary>
    private static ContentFormat Markup(string text)
    {
        var rest = text.AsSpan();
        while (true)
        {
            rest = rest.TrimStart();
            if (rest.StartsWith("<?"))
            {
                var end = rest.IndexOf("?>");
                if (end < 0)
                {
                    return ContentFormat.Xml;
                }

                rest = rest[(end + 2)..];
            }
            else if (rest.StartsWith("<!--"))
            {
                var end = rest.IndexOf("-->");
                if (end < 0)
                {
                    return ContentFormat.Xml;
                }

                rest = rest[(end + 3)..];
            }
            else if (rest.StartsWith("<!DOCTYPE", StringComparison.OrdinalIgnoreCase))
            {
                return IsHtml(rest["<!DOCTYPE".Length..]) ? ContentFormat.Html : ContentFormat.XmlWithDtd;
            }
            else
            {
                return rest.StartsWith("<") && IsHtml(rest[1..]) ? ContentFormat.Html : ContentFormat.Xml;
            }
        }
    }

    private static bool IsHtml(ReadOnlySpan<char> afterBracket)
    {
        var name = afterBracket.TrimStart();
        return name.StartsWith("html", StringComparison.OrdinalIgnoreCase) && (name.Length == 4 || !char.IsAsciiLetterOrDigit(name[4]));
    }

    /// <summary>
    /// An RFC 5322 message begins with a header field (a name of printable characters but the
    /// colon, then a colon) or, in an mbox file, a "From " line.
    /// </summary>
    private static bool LooksLikeMessage(string text)
    {
        if (text.StartsWith("From ", StringComparison.Ordinal))
        {
            return true;
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return false;
        }

        foreach (var c in text.AsSpan(0, colon))
        {
            if (c is < '!' or > '~')
            {
                return false;
            }
        }

        return true;
    }
}
