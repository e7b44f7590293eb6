namespace MailHealth.Checks;

/// <summary>
/// The outcome of one check. <see cref="Error"/> means the check could not be carried out
/// (a DNS timeout, our own egress blocked): it says nothing about the target being broken.
/// </summary>
public enum CheckStatus
{
    Pass = 0,
    Warn = 1,
    Fail = 2,
    Error = 3,
}
