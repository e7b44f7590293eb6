using System.Text;
using System.Xml;

namespace MailHealth.ReceiverReports;

/// <summary>
/// A forward-only walk over a report's XML with what receivers' documents need: element names
/// matched whatever their case, in the report's own namespace (RFC 9990's, none, or whatever the
/// root declares) while elements of other namespaces (RFC 9990 extensions) are skipped, and text
/// read in chunks with a cap, so one enormous value never becomes one enormous string. No DTD is
/// ever processed and nothing is resolved: a DOCTYPE stops the read (no entity expansion, no file
/// or network access).
/// </summary>
internal sealed class ReportXmlReader : IDisposable
{
    /// <summary>The longest value kept; what is longer is cut (and the cut noted).</summary>
    public const int MaxValueLength = 4096;

    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = true,
        CloseInput = false,
    };

    private readonly XmlReader _reader;
    private readonly char[] _chunk = new char[MaxValueLength + 1];
    private string _namespace = "";

    // Receivers declare legacy encodings too (windows-1252); without the code pages .NET decodes
    // only Unicode, ASCII and Latin-1, and the declaration would make the report malformed.
    static ReportXmlReader() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public ReportXmlReader(Stream document) => _reader = XmlReader.Create(document, Settings);

    /// <summary>The current element's local name in lower case.</summary>
    public string Name => AggregateValues.Lower(_reader.LocalName) ?? "";

    /// <summary>Set when a value was cut at <see cref="MaxValueLength"/>; cleared by the caller.</summary>
    public bool ValueCut { get; set; }

    /// <summary>Moves to the root element and takes its namespace as the report's; false when there is none.</summary>
    public bool MoveToRoot()
    {
        if (_reader.MoveToContent() != XmlNodeType.Element)
        {
            return false;
        }

        _namespace = _reader.NamespaceURI;
        return true;
    }

    /// <summary>The report's namespace, null for none.</summary>
    public string? Namespace => _namespace.Length == 0 ? null : _namespace;

    /// <summary>
    /// Steps into the current element: returns its depth, to pass to <see cref="NextChild"/>, or -1
    /// for an empty element (then the reader is already past it).
    /// </summary>
    public int Enter()
    {
        var depth = _reader.Depth;
        var empty = _reader.IsEmptyElement;
        _reader.Read();
        return empty ? -1 : depth;
    }

    /// <summary>
    /// Moves to the next child element of the element entered at <paramref name="depth"/> that is in
    /// the report's namespace; false, past the parent's end tag, when there is none. The caller reads
    /// or <see cref="Skip"/>s each child it is given.
    /// </summary>
    public bool NextChild(int depth)
    {
        if (depth < 0)
        {
            return false;
        }

        while (true)
        {
            switch (_reader.NodeType)
            {
                case XmlNodeType.EndElement when _reader.Depth == depth:
                    // Not past the root's end tag: what follows the document (trailing bytes of
                    // a sloppy archive) is not read at all.
                    if (depth > 0)
                    {
                        _reader.Read();
                    }

                    return false;
                case XmlNodeType.Element when _reader.Depth == depth + 1:
                    if (_reader.NamespaceURI.Length == 0 || string.Equals(_reader.NamespaceURI, _namespace, StringComparison.Ordinal))
                    {
                        return true;
                    }

                    _reader.Skip();
                    break;
                default:
                    // Text between elements (mixed content).
                    ReadPast();
                    break;
            }
        }
    }

    /// <summary>
    /// The texts of the current element's children named in <paramref name="names"/>, by position:
    /// "" for a child present but empty, null for one absent; other children are skipped. For the
    /// elements whose children are all values (identifiers, date_range, an auth result).
    /// </summary>
    public string?[] Values(string[] names)
    {
        var values = new string?[names.Length];
        var depth = Enter();
        while (NextChild(depth))
        {
            var index = Array.IndexOf(names, Name);
            if (index < 0)
            {
                Skip();
            }
            else
            {
                values[index] = Text() ?? "";
            }
        }

        return values;
    }

    /// <summary>A value of <see cref="Values"/> as a value: null when the element was absent or empty.</summary>
    public static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    /// <summary>Skips the current element and everything in it.</summary>
    public void Skip() => _reader.Skip();

    /// <summary>
    /// The text of the current element, trimmed, null when empty; child elements inside it are
    /// skipped. At most <see cref="MaxValueLength"/> characters are kept (<see cref="ValueCut"/>).
    /// Leaves the reader past the element.
    /// </summary>
    public string? Text()
    {
        var depth = Enter();
        if (depth < 0)
        {
            return null;
        }

        var length = 0;
        while (!(_reader.NodeType == XmlNodeType.EndElement && _reader.Depth == depth))
        {
            switch (_reader.NodeType)
            {
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace:
                    int read;
                    while (length < _chunk.Length && (read = _reader.ReadValueChunk(_chunk, length, _chunk.Length - length)) > 0)
                    {
                        length += read;
                    }

                    // Read past what is left of a long text node without keeping it.
                    _reader.Read();
                    break;
                case XmlNodeType.Element:
                    _reader.Skip();
                    break;
                default:
                    ReadPast();
                    break;
            }
        }

        _reader.Read();
        if (length > MaxValueLength)
        {
            ValueCut = true;
            length = MaxValueLength;
        }

        var span = _chunk.AsSpan(0, length).Trim();
        return span.IsEmpty ? null : new string(span);
    }

    public void Dispose() => _reader.Dispose();

    /// <summary>Reads past a node that is not what the caller looks for.</summary>
    private void ReadPast()
    {
        // The end of the input inside an element: XmlReader reports truncation itself, this is
        // a guard against looping.
        if (_reader.NodeType == XmlNodeType.None)
        {
            throw new XmlException("unexpected end of the document");
        }

        _reader.Read();
    }
}
