using System.Net;
using MailHealth.Targets;
using MimeKit;

namespace MailHealth.Testing.Mail;

/// <summary>
/// The peers' alert-receiving submission server (Postfix on <c>$MH_NET.70.1</c>, ports 587 and 465,
/// eng/peers/start.d/30-postfix.sh): mail for <see cref="Domain"/> is delivered into one Maildir
/// whose path the peer script writes to $MH_STATE/postfix/alerts-maildir.
/// </summary>
public static class AlertMailbox
{
    public const string Domain = "alerts.test";

    public const string HostName = "submit.alerts.test";

    public static IPAddress Address => Peers.Address(70, 1);

    public static string Maildir => File.ReadAllText(Path.Combine(Peers.State, "postfix", "alerts-maildir")).Trim();

    /// <summary>The SASL user of the Postfix peer, from $MH_STATE/postfix/credentials.</summary>
    public static SmtpCredentials Credentials()
    {
        var lines = File.ReadAllLines(Path.Combine(Peers.State, "postfix", "credentials"))
            .Select(l => l.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1]);
        return new SmtpCredentials(lines["user"], lines["password"]);
    }

    /// <summary>
    /// Waits until at least <paramref name="count"/> messages with this Message-ID (without angle
    /// brackets) are in the Maildir and returns every copy found then; fewer when patience ran out
    /// (delivery is asynchronous after Postfix accepted the message).
    /// </summary>
    public static Task<IReadOnlyList<MimeMessage>> WaitForAsync(string messageId, int count, TimeSpan patience, CancellationToken cancellationToken = default) =>
        WaitForAsync(m => m.MessageId == messageId, count, patience, cancellationToken);

    /// <summary>As <see cref="WaitForAsync(string, int, TimeSpan, CancellationToken)"/>, for the messages <paramref name="match"/> accepts.</summary>
    public static async Task<IReadOnlyList<MimeMessage>> WaitForAsync(Func<MimeMessage, bool> match, int count, TimeSpan patience, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(patience);
        while (true)
        {
            var found = Read(match);
            if (found.Count >= count)
            {
                return found;
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return Read(match);
            }
        }
    }

    /// <summary>The messages with this Message-ID delivered so far.</summary>
    public static IReadOnlyList<MimeMessage> Read(string messageId) => Read(m => m.MessageId == messageId);

    /// <summary>The messages delivered so far that <paramref name="match"/> accepts.</summary>
    public static IReadOnlyList<MimeMessage> Read(Func<MimeMessage, bool> match)
    {
        var messages = new List<MimeMessage>();
        foreach (var folder in new[] { "new", "cur" })
        {
            var path = Path.Combine(Maildir, folder);
            if (!Directory.Exists(path))
            {
                continue;
            }

            foreach (var file in Directory.EnumerateFiles(path))
            {
                var message = MimeMessage.Load(file);
                if (match(message))
                {
                    messages.Add(message);
                }
            }
        }

        return messages;
    }
}
