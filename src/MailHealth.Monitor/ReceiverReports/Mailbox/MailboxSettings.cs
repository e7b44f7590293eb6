using MailHealth.Settings;

namespace MailHealth.Monitor.ReceiverReports.Mailbox;

/// <summary>How the mailbox door logs in: a password, or OAuth2 client credentials (Microsoft 365).</summary>
public enum MailboxAuth
{
    /// <summary>LOGIN/AUTHENTICATE with <see cref="MailboxSettings.User"/> and <see cref="MailboxSettings.Password"/>.</summary>
    Password = 0,

    /// <summary>SASL XOAUTH2 with an app registration's token (client credentials through Azure.Identity).</summary>
    OAuth2 = 1,
}

/// <summary>How the connection is protected: always TLS, never plain text.</summary>
public enum MailboxTls
{
    /// <summary>Port 993 means implicit TLS, any other port STARTTLS (required, never "when available").</summary>
    Auto = 0,

    /// <summary>Plain connect, then STARTTLS, required (RFC 3501 section 6.2.1).</summary>
    StartTls = 1,

    /// <summary>TLS from the first byte (imaps on 993, RFC 8314 section 3.2).</summary>
    SslOnConnect = 2,
}

/// <summary>
/// The IMAP mailbox receivers send reports to (<c>MailHealth:Mailbox</c>; docs/reports.md, "The
/// mailbox"). Off while <see cref="Host"/> is empty. The cap on one message is the parser's
/// (<c>MailHealth:Reports:MaxMessageBytes</c>), the same for every door.
/// </summary>
public sealed class MailboxSettings
{
    public const string Section = "MailHealth:Mailbox";

    /// <summary>Microsoft 365's IMAP scope for an app's own token (client credentials).</summary>
    public const string OutlookScope = "https://outlook.office365.com/.default";

    /// <summary>The IMAP server's name (its certificate must match it); empty: no mailbox, the door is off.</summary>
    public string? Host { get; set; }

    /// <summary>Default 993.</summary>
    public int Port { get; set; } = 993;

    public MailboxTls Tls { get; set; } = MailboxTls.Auto;

    /// <summary>A PEM file of extra roots the server's certificate may chain to (a private CA); the system's roots otherwise.</summary>
    public string? CaFile { get; set; }

    public MailboxAuth Auth { get; set; } = MailboxAuth.Password;

    /// <summary>The mailbox's login name (with OAuth2: the mailbox's address).</summary>
    public string? User { get; set; }

    /// <summary>The password (Auth=Password): a secret, from Key Vault or the environment, never a file in the repository.</summary>
    public string? Password { get; set; }

    /// <summary>The Entra tenant of the app registration (Auth=OAuth2).</summary>
    public string? TenantId { get; set; }

    /// <summary>The app registration's client id (Auth=OAuth2).</summary>
    public string? ClientId { get; set; }

    /// <summary>The app registration's client secret (Auth=OAuth2): a secret, like the password.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>The folder reports arrive in. Default INBOX.</summary>
    public string Folder { get; set; } = "INBOX";

    /// <summary>Where a message goes once its reports are committed (made when missing). Default Processed.</summary>
    public string ProcessedFolder { get; set; } = "Processed";

    /// <summary>Where a message that holds no report, or is too large, goes (made when missing). Default Invalid.</summary>
    public string InvalidFolder { get; set; } = "Invalid";

    /// <summary>Messages read per poll, oldest first; the rest wait for the next. Default 200, 1-10,000.</summary>
    public int MaxMessagesPerPoll { get; set; } = 200;

    /// <summary>How long one IMAP command may wait for the server. Default 1 minute, 1 second-10 minutes.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Whether a mailbox is configured (not a setting: a Host makes it so).</summary>
    internal bool Enabled => !string.IsNullOrWhiteSpace(Host);

    public static void Validate(MailboxSettings settings, SettingErrors errors)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(errors);
        errors.Range(nameof(MaxMessagesPerPoll), settings.MaxMessagesPerPoll, 1, 10_000);
        errors.Range(nameof(Timeout), settings.Timeout, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));
        if (!settings.Enabled)
        {
            return;
        }

        errors.Range(nameof(Port), settings.Port, 1, 65535);
        Required(errors, nameof(User), settings.User);
        if (settings.Auth == MailboxAuth.OAuth2)
        {
            Required(errors, nameof(TenantId), settings.TenantId);
            Required(errors, nameof(ClientId), settings.ClientId);
            Required(errors, nameof(ClientSecret), settings.ClientSecret);
        }
        else
        {
            Required(errors, nameof(Password), settings.Password);
        }

        foreach (var (name, folder) in new[] { (nameof(Folder), settings.Folder), (nameof(ProcessedFolder), settings.ProcessedFolder), (nameof(InvalidFolder), settings.InvalidFolder) })
        {
            Required(errors, name, folder);
        }

        if (string.Equals(settings.Folder, settings.ProcessedFolder, StringComparison.OrdinalIgnoreCase)
            || string.Equals(settings.Folder, settings.InvalidFolder, StringComparison.OrdinalIgnoreCase))
        {
            errors.Add(nameof(Folder), "must differ from ProcessedFolder and InvalidFolder: a message is moved out of it once read");
        }

        if (settings.CaFile is { Length: > 0 } caFile && !File.Exists(caFile))
        {
            errors.Add(nameof(CaFile), $"'{caFile}' does not exist");
        }
    }

    private static void Required(SettingErrors errors, string name, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(name, "required when a mailbox Host is set");
        }
    }
}
