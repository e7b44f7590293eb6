namespace MailHealth.Targets;

/// <summary>
/// Credentials for the authenticated-submission test. They come from configuration or the
/// environment and must never appear in a report, a log or storage: <see cref="ToString"/> hides them.
/// </summary>
public sealed class SmtpCredentials(string userName, string password)
{
    public string UserName { get; } = userName;

    public string Password { get; } = password;

    public override string ToString() => "SmtpCredentials(***)";
}
