namespace MailHealth.Changes;

/// <summary>
/// Something a target's DNS or TLS says differently from the previous run: "SPF changed:
/// include:mail.vendor.example removed". Not an alert; a channel may subscribe to it.
/// </summary>
/// <param name="TargetId">The target.</param>
/// <param name="Item">The fingerprint item (<c>spf</c>, <c>cert:mx1.example.com:25</c>...).</param>
/// <param name="Before">The previous value; null when the item appeared.</param>
/// <param name="After">The new value; null when the item disappeared.</param>
/// <param name="Summary">One line saying what changed, for people.</param>
/// <param name="At">When the run that saw it finished.</param>
/// <param name="RunId">The run that saw it.</param>
public sealed record ChangeEvent(
    string TargetId,
    string Item,
    string? Before,
    string? After,
    string Summary,
    DateTimeOffset At,
    string RunId);
