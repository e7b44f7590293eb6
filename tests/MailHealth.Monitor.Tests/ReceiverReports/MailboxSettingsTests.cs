using MailHealth.Monitor.ReceiverReports.Mailbox;
using MailHealth.Settings;

namespace MailHealth.Monitor.Tests.ReceiverReports;

/// <summary>The mailbox's settings: nothing required without a host; with one, the login its Auth needs and folders a message can leave.</summary>
public sealed class MailboxSettingsTests
{
    private static IReadOnlyList<string> Errors(MailboxSettings settings)
    {
        var errors = new SettingErrors(MailboxSettings.Section);
        MailboxSettings.Validate(settings, errors);
        return errors.Errors;
    }

    [Fact]
    public void NoHost_NothingRequired() => Assert.Empty(Errors(new MailboxSettings()));

    [Fact]
    public void Host_WithoutLogin_NamesWhatIsMissing()
    {
        var password = Errors(new MailboxSettings { Host = "imap.example.com" });
        var oauth = Errors(new MailboxSettings { Host = "outlook.office365.com", User = "dmarc@example.com", Auth = MailboxAuth.OAuth2 });

        Assert.Equal(["MailHealth:Mailbox:User: required when a mailbox Host is set", "MailHealth:Mailbox:Password: required when a mailbox Host is set"], password);
        Assert.Equal(
            ["TenantId", "ClientId", "ClientSecret"],
            oauth.Select(e => e.Split(':')[2]));
    }

    [Fact]
    public void FolderThatIsAlsoWhereMessagesGo_Refused()
    {
        var errors = Errors(new MailboxSettings { Host = "imap.example.com", User = "u", Password = "p", Folder = "Processed" });

        Assert.StartsWith("MailHealth:Mailbox:Folder: must differ from ProcessedFolder", Assert.Single(errors), StringComparison.Ordinal);
    }
}
