namespace MailHealth.Checks;

/// <summary>How much a finding matters. Ordered: a higher value is worse.</summary>
public enum Severity
{
    Info = 0,
    Warning = 1,
    Critical = 2,
}
