using System.Net;
using MailHealth.Monitor.Tls;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace MailHealth.Testing.Mail;

/// <summary>
/// The peers' reports mailbox (eng/peers/start.d/70-dovecot.sh and 30-postfix.sh): Dovecot on
/// <c>$MH_NET.76.1</c> (143 STARTTLS, 993 TLS, imap.mailbox.test) and Postfix as the MX of
/// <see cref="Domain"/> on the same address, port 25. Any user name logs in with the one password
/// in $MH_STATE/dovecot/credentials and has a Maildir of its own, which Postfix fills with the
/// mail for USER@mailbox.test: a test takes a fresh user (<see cref="NewUser"/>) and so a mailbox
/// no other test touches.
/// </summary>
public sealed class ReportsMailbox : IAsyncDisposable
{
    public const string Domain = "mailbox.test";

    public const string HostName = "imap.mailbox.test";

    private readonly ImapClient _client = new();

    private ReportsMailbox(string user) => User = user;

    public static IPAddress Address => Peers.Address(76, 1);

    /// <summary>The one password every user logs in with (the XOAUTH2 token Dovecot takes, too).</summary>
    public static string Password => File.ReadAllLines(Path.Combine(Peers.State, "dovecot", "credentials"))
        .Select(l => l.Split('=', 2))
        .Single(p => p.Length == 2 && p[0] == "password")[1];

    public string User { get; }

    public string Recipient => $"{User}@{Domain}";

    /// <summary>A user no test used before: its mailbox is empty.</summary>
    public static string NewUser() => "t" + Guid.NewGuid().ToString("N")[..16];

    /// <summary>The settings of a mailbox door reading <paramref name="user"/>'s INBOX on the peer (implicit TLS, the test CA).</summary>
    public static Dictionary<string, string?> Settings(string user, int port = 993) => new()
    {
        ["MailHealth:Mailbox:Host"] = Address.ToString(),
        ["MailHealth:Mailbox:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["MailHealth:Mailbox:CaFile"] = Peers.CaFile,
        ["MailHealth:Mailbox:User"] = user,
        ["MailHealth:Mailbox:Password"] = Password,
        ["MailHealth:Mailbox:Timeout"] = "00:00:20",
    };

    /// <summary>A connection of the test's own to <paramref name="user"/>'s mailbox, to put messages in and look at the folders.</summary>
    public static async Task<ReportsMailbox> OpenAsync(string user)
    {
        var mailbox = new ReportsMailbox(user);
        mailbox._client.ServerCertificateValidationCallback = new ServerCertificateTrust(Peers.CaFile).Validate;
        await mailbox._client.ConnectAsync(Address.ToString(), 993, SecureSocketOptions.SslOnConnect);
        await mailbox._client.AuthenticateAsync(user, Password);
        return mailbox;
    }

    /// <summary>Sends <paramref name="messages"/> to this mailbox through Postfix, port 25 without AUTH, as receivers send reports.</summary>
    public async Task DeliverAsync(params MimeMessage[] messages)
    {
        using var smtp = new SmtpClient { ServerCertificateValidationCallback = _client.ServerCertificateValidationCallback };
        await smtp.ConnectAsync(Address.ToString(), 25, SecureSocketOptions.StartTls);
        foreach (var message in messages)
        {
            await smtp.SendAsync(message, MailboxAddress.Parse(message.From.Mailboxes.First().Address), [MailboxAddress.Parse(Recipient)]);
        }

        await smtp.DisconnectAsync(quit: true);
    }

    /// <summary>Puts raw messages straight into <paramref name="folder"/> (IMAP APPEND): for what Postfix would refuse, such as a 30 MB message.</summary>
    public async Task AppendAsync(string folder, params byte[][] messages)
    {
        var target = await FolderAsync(folder);
        foreach (var raw in messages)
        {
            using var stream = new MemoryStream(raw);
            await target.AppendAsync(new AppendRequest(await MimeMessage.LoadAsync(stream)));
        }
    }

    /// <summary>The messages in <paramref name="folder"/> now (0 when it does not exist).</summary>
    public async Task<int> CountAsync(string folder)
    {
        try
        {
            var status = await _client.GetFolderAsync(folder);
            await status.StatusAsync(StatusItems.Count);
            return status.Count;
        }
        catch (FolderNotFoundException)
        {
            return 0;
        }
    }

    /// <summary>
    /// Waits until <paramref name="folder"/> holds at least <paramref name="count"/> messages (Postfix
    /// delivers after it accepted), at most <paramref name="patience"/>; the count then.
    /// </summary>
    public async Task<int> WaitForAsync(string folder, int count, TimeSpan patience)
    {
        using var deadline = new CancellationTokenSource(patience);
        while (true)
        {
            var found = await CountAsync(folder);
            if (found >= count || deadline.IsCancellationRequested)
            {
                return found;
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), deadline.Token);
            }
            catch (OperationCanceledException)
            {
                return await CountAsync(folder);
            }
        }
    }

    /// <summary>Deletes <paramref name="folder"/> and makes it again: the server gives it a new UIDVALIDITY.</summary>
    public async Task<uint> RecreateAsync(string folder)
    {
        var old = await _client.GetFolderAsync(folder);
        var before = await UidValidityAsync(folder);
        await old.DeleteAsync();
        _ = await _client.GetFolder(_client.PersonalNamespaces[0]).CreateAsync(folder, isMessageFolder: true);
        var after = await UidValidityAsync(folder);
        return after != before ? after : throw new InvalidOperationException($"{folder} kept UIDVALIDITY {before}");
    }

    public async Task<uint> UidValidityAsync(string folder)
    {
        var target = await _client.GetFolderAsync(folder);
        await target.StatusAsync(StatusItems.UidValidity);
        return target.UidValidity;
    }

    /// <summary><paramref name="name"/>, made when missing.</summary>
    public async Task<IMailFolder> FolderAsync(string name)
    {
        try
        {
            return await _client.GetFolderAsync(name);
        }
        catch (FolderNotFoundException)
        {
            return await _client.GetFolder(_client.PersonalNamespaces[0]).CreateAsync(name, isMessageFolder: true)
                ?? throw new FolderNotFoundException(name);
        }
    }

    /// <summary>
    /// The most bytes Dovecot sent in one finished IMAP session of this user (its log's "out=" on
    /// disconnect), waiting at most <paramref name="patience"/> for <paramref name="sessions"/> such lines.
    /// </summary>
    public async Task<long> LargestSessionOutputAsync(int sessions, TimeSpan patience)
    {
        var log = $"/var/lib/mailhealth-peers/{Peers.Net}/dovecot/dovecot.log";
        using var deadline = new CancellationTokenSource(patience);
        while (true)
        {
            var outputs = File.ReadLines(log)
                .Where(l => l.Contains($"imap({User})", StringComparison.Ordinal) && l.Contains("Disconnected", StringComparison.Ordinal))
                .Select(l => System.Text.RegularExpressions.Regex.Match(l, @" out=(\d+)"))
                .Where(m => m.Success)
                .Select(m => long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))
                .ToList();
            if (outputs.Count >= sessions || deadline.IsCancellationRequested)
            {
                return outputs.Count >= sessions ? outputs.Max() : throw new TimeoutException($"{outputs.Count} of {sessions} sessions of {User} in {log}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync(quit: true);
        }

        _client.Dispose();
    }
}
