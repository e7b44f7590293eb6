using MimeKit;

namespace MailHealth.ReceiverReports;

/// <summary>
/// An e-mail message as a report carrier: its leaf parts (attachments and inline parts, inside
/// multiparts and attached messages, where a forwarded report is), each named for messages, and,
/// when none holds a report, what the message is instead: a bounce, a feedback report, a reply.
/// </summary>
internal static class ReportMessage
{
    /// <summary>How deep attached messages are opened (a report forwarded twice is still found).</summary>
    private const int MaxMessageNesting = 3;

    /// <summary>The leaf parts in the order of the message; an attached message's parts in its place.</summary>
    public static List<MimePart> Leaves(MimeMessage message)
    {
        var leaves = new List<MimePart>();
        Collect(message.Body, 0, leaves);
        return leaves;
    }

    /// <summary>A part as a person finds it in a mail client: its file name, else its type.</summary>
    public static string Describe(MimePart part) =>
        part.FileName is { Length: > 0 } name ? $"attachment '{name}'" : $"part {part.ContentType.MimeType.ToLowerInvariant()}";

    /// <summary>Why a message that holds no report is invalid: what it is instead, as far as its structure says.</summary>
    public static string NoReportReason(MimeMessage message, IReadOnlyList<MimePart> leaves)
    {
        var what = Classify(message, leaves)
            ?? (leaves.Count == 0
                ? "an empty message"
                : $"no part is gzip, zip, XML or JSON; its parts: {string.Join(", ", leaves.Select(Describe).Distinct(StringComparer.Ordinal).Take(5))}");
        return $"no report in this message ({what})";
    }

    private static void Collect(MimeEntity? entity, int nesting, List<MimePart> leaves)
    {
        switch (entity)
        {
            case Multipart multipart:
                foreach (var child in multipart)
                {
                    Collect(child, nesting, leaves);
                }

                break;
            case MessagePart { Message: { } attached } when nesting < MaxMessageNesting:
                Collect(attached.Body, nesting + 1, leaves);
                break;
            case MimePart part:
                leaves.Add(part);
                break;
        }
    }

    private static string? Classify(MimeMessage message, IReadOnlyList<MimePart> leaves)
    {
        // RFC 6522 multipart/report names its kind; RFC 3464 delivery status, RFC 5965 ARF,
        // RFC 8098 disposition notifications.
        var reportType = (message.Body as MultipartReport)?.ReportType?.ToLowerInvariant();
        var types = leaves.Select(p => p.ContentType.MimeType.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
        if (reportType == "delivery-status" || types.Contains("message/delivery-status") || types.Contains("message/global-delivery-status"))
        {
            return "a delivery status notification";
        }

        if (reportType == "feedback-report" || types.Contains("message/feedback-report"))
        {
            return "a feedback report (RFC 5965): a failure or abuse report, not an aggregate report";
        }

        if (reportType == "disposition-notification" || types.Contains("message/disposition-notification"))
        {
            return "a read receipt";
        }

        if (reportType is { } other)
        {
            return $"a multipart/report of type {other} without a readable report";
        }

        // RFC 3834 section 5: auto-replies say so.
        var autoSubmitted = message.Headers[HeaderId.AutoSubmitted];
        return autoSubmitted is not null && autoSubmitted.Trim().StartsWith("auto-replied", StringComparison.OrdinalIgnoreCase)
            ? "an automatic reply"
            : null;
    }
}
