namespace MailHealth.Targets;

/// <summary>One thing wrong with a target definition: the field (and item) and why.</summary>
/// <param name="Field">The definition's JSON name: <c>domain</c>, <c>ports</c>, <c>sendingIps</c>...</param>
/// <param name="Index">The item of a list field, or null.</param>
/// <param name="Message">What is wrong, naming the value: "70000 is not a port".</param>
public sealed record TargetError(string Field, int? Index, string Message)
{
    /// <summary><c>ports[0]</c>, or <c>domain</c>.</summary>
    public string Path => Index is { } i ? $"{Field}[{i}]" : Field;

    public override string ToString() => $"{Path}: {Message}";
}
