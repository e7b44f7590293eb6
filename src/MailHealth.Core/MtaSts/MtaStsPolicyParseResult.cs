namespace MailHealth.MtaSts;

/// <summary>The policy when it is valid, otherwise every problem found.</summary>
public sealed record MtaStsPolicyParseResult(MtaStsPolicy? Policy, IReadOnlyList<string> Errors)
{
    public bool IsValid => Policy is not null;
}
