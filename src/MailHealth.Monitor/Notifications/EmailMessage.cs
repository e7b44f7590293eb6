using System.Globalization;
using System.Text;
using MailHealth.Notifications;
using MimeKit;

namespace MailHealth.Monitor.Notifications;

/// <summary>
/// The e-mail a notification becomes: subject = title, a plain-text body (the text, how to fix it,
/// the facts, the link to the dashboard), and a Message-ID made from the notification id and the sender's domain, so that a resend of
/// the same notification is recognisable as such (RFC 5322 section 3.6.4).
/// </summary>
public static class EmailMessage
{
    public static MimeMessage Build(Notification notification, MailboxAddress from, IEnumerable<MailboxAddress> to, DateTimeOffset now)
    {
        var message = new MimeMessage
        {
            Subject = notification.Title,
            Date = now,
            MessageId = MessageId(notification, from),
        };
        message.From.Add(from);
        message.To.AddRange(to);
        message.Headers.Add("X-MailHealth-Delivery", notification.Id);
        message.Body = new TextPart("plain") { Text = Body(notification) };
        return message;
    }

    /// <summary><c>{notification id}@{sender's domain}</c> (without the angle brackets).</summary>
    public static string MessageId(Notification notification, MailboxAddress from) =>
        $"{notification.Id}@{(from.Domain.Length > 0 ? from.Domain : "mailhealth.invalid")}";

    public static string Body(Notification notification)
    {
        var body = new StringBuilder();
        body.Append(notification.Text).Append("\n\n");
        if (notification.Fix is { } fix)
        {
            body.Append(CultureInfo.InvariantCulture, $"How to fix: {fix}\n\n");
        }

        if (notification.TargetId.Length > 0)
        {
            body.Append(CultureInfo.InvariantCulture, $"Target:   {notification.TargetId} ({notification.Domain})\n");
        }

        if (notification.Severity is { } severity)
        {
            body.Append(CultureInfo.InvariantCulture, $"Severity: {severity.ToString().ToLowerInvariant()}\n");
        }

        if (notification.Code is { } code)
        {
            body.Append(CultureInfo.InvariantCulture, $"Code:     {code}\n");
        }

        if (notification.Subject is { } subject)
        {
            body.Append(CultureInfo.InvariantCulture, $"Subject:  {subject}\n");
        }

        if (notification.AlertId is { } alert)
        {
            body.Append(CultureInfo.InvariantCulture, $"Alert:    {alert}\n");
        }

        if (notification.RunId is { } run)
        {
            body.Append(CultureInfo.InvariantCulture, $"Run:      {run}\n");
        }

        body.Append(CultureInfo.InvariantCulture, $"At:       {notification.At.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC\n");
        if (notification.Link is { } link)
        {
            body.Append(CultureInfo.InvariantCulture, $"\nDashboard: {link}\n");
        }

        body.Append(CultureInfo.InvariantCulture, $"\n-- \nMailHealth notification {notification.Id}\n");
        return body.ToString();
    }
}
