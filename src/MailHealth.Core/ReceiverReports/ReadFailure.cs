using System.Text.Json;
using System.Xml;

namespace MailHealth.ReceiverReports;

/// <summary>
/// Why a document could not be read, from what reading it threw: the reason an invalid report
/// carries. Anything else (a bug, cancellation) is not a property of the input and is not caught.
/// </summary>
internal static class ReadFailure
{
    public static string? Reason(Exception exception) => exception switch
    {
        InputRefusedException refused => refused.Message,
        XmlException xml => $"malformed XML: {xml.Message}",
        JsonException json => $"malformed JSON: {json.Message}",
        InvalidDataException data => $"corrupt compressed data: {data.Message}",
        _ => null,
    };
}
