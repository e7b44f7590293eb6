namespace MailHealth.Targets;

/// <summary>The targets of a list, or (when any is wrong) none and every error with its path.</summary>
public sealed record TargetListResult(IReadOnlyList<Target> Targets, IReadOnlyList<string> Errors)
{
    public bool IsValid => Errors.Count == 0;
}
