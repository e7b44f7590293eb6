using System.Diagnostics.CodeAnalysis;

namespace MailHealth.Targets;

/// <summary>A validated target, or every reason it is not one.</summary>
public sealed record TargetValidation(Target? Target, IReadOnlyList<TargetError> Errors)
{
    [MemberNotNullWhen(true, nameof(Target))]
    public bool IsValid => Target is not null;
}
