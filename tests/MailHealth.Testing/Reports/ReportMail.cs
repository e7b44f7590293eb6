using MimeKit;

namespace MailHealth.Testing.Reports;

/// <summary>
/// E-mail messages as receivers send reports (RFC 7489 section 7.2.1.1 for DMARC, RFC 8460
/// section 5.3 for TLS-RPT), and the other mail a report mailbox receives: bounces, replies, spam.
/// </summary>
public static class ReportMail
{
    /// <summary>A part carrying <paramref name="data"/> in base64, as an attachment or inline.</summary>
    public static MimePart Part(string mediaType, byte[] data, string? fileName = null, bool inline = false)
    {
        ArgumentNullException.ThrowIfNull(mediaType);
        var slash = mediaType.IndexOf('/', StringComparison.Ordinal);
        return new MimePart(mediaType[..slash], mediaType[(slash + 1)..])
        {
            Content = new MimeContent(new MemoryStream(data)),
            ContentDisposition = new ContentDisposition(inline ? ContentDisposition.Inline : ContentDisposition.Attachment) { FileName = fileName },
            ContentTransferEncoding = ContentEncoding.Base64,
        };
    }

    /// <summary>A message from <paramref name="from"/> to the report mailbox with the given body.</summary>
    public static MimeMessage Message(string from, string subject, MimeEntity body, DateTimeOffset date)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse("dmarc-reports@example.com"));
        message.Subject = subject;
        message.Date = date;
        message.MessageId = $"{Guid.NewGuid():N}@{from[(from.IndexOf('@', StringComparison.Ordinal) + 1)..]}";
        message.Body = body;
        return message;
    }

    /// <summary>The usual DMARC shape: a line of text and the report attached.</summary>
    public static MimeMessage WithAttachments(string from, string subject, DateTimeOffset date, params MimePart[] attachments)
    {
        var mixed = new Multipart("mixed") { new TextPart("plain") { Text = $"This is a DMARC aggregate report from {from}." } };
        foreach (var attachment in attachments)
        {
            mixed.Add(attachment);
        }

        return Message(from, subject, mixed, date);
    }

    /// <summary>RFC 8460 section 5.3: multipart/report; report-type="tlsrpt" with the gzipped JSON as application/tlsrpt+gzip.</summary>
    public static MimeMessage TlsReport(string from, string policyDomain, byte[] json, DateTimeOffset date)
    {
        var report = new MultipartReport("tlsrpt")
        {
            new TextPart("plain") { Text = $"This is an aggregate TLS report from {from}." },
            Part("application/tlsrpt+gzip", Containers.Gzip(json), $"{from}!{policyDomain}!{date.ToUnixTimeSeconds()}!{date.AddDays(1).ToUnixTimeSeconds()}.json.gz"),
        };
        var message = Message(from, $"Report Domain: {policyDomain} Submitter: {from}", report, date);
        message.Headers.Add("TLS-Report-Domain", policyDomain);
        message.Headers.Add("TLS-Report-Submitter", from[(from.IndexOf('@', StringComparison.Ordinal) + 1)..]);
        return message;
    }

    /// <summary>A bounce (RFC 3464): multipart/report; report-type=delivery-status.</summary>
    public static MimeMessage Bounce(DateTimeOffset date)
    {
        var status = new MimePart("message", "delivery-status")
        {
            Content = new MimeContent(new MemoryStream(System.Text.Encoding.ASCII.GetBytes(
                "Reporting-MTA: dns; mx.example.net\r\n\r\nFinal-Recipient: rfc822; nobody@example.org\r\nAction: failed\r\nStatus: 5.1.1\r\n"))),
        };
        var report = new MultipartReport("delivery-status")
        {
            new TextPart("plain") { Text = "Your message could not be delivered to nobody@example.org." },
            status,
            new TextPart("rfc822-headers") { Text = "From: dmarc-reports@example.com\r\nSubject: Report\r\n" },
        };
        return Message("MAILER-DAEMON@mx.example.net", "Undelivered Mail Returned to Sender", report, date);
    }

    /// <summary>A person answering the report mailbox: plain text and HTML, no attachment.</summary>
    public static MimeMessage HumanReply(DateTimeOffset date)
    {
        var alternative = new MultipartAlternative
        {
            new TextPart("plain") { Text = "Hello,\r\n\r\nWhy do I get these reports? Please stop.\r\n\r\nThanks" },
            new TextPart("html") { Text = "<html><body><p>Hello,</p><p>Why do I get these reports? Please stop.</p></body></html>" },
        };
        return Message("someone@example.org", "Re: Report Domain: example.com", alternative, date);
    }

    /// <summary>Spam: HTML with an image, nothing a report could be.</summary>
    public static MimeMessage Spam(DateTimeOffset date)
    {
        var related = new Multipart("related")
        {
            new TextPart("html") { Text = "<!DOCTYPE html><html><body><img src=\"cid:offer\"><p>You have won!</p></body></html>" },
            Part("image/png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0], "offer.png", inline: true),
        };
        return Message("winner@example.org", "Congratulations", related, date);
    }

    public static byte[] Bytes(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var buffer = new MemoryStream();
        message.WriteTo(buffer);
        return buffer.ToArray();
    }
}
