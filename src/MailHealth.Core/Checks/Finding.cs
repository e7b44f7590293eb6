namespace MailHealth.Checks;

/// <summary>
/// One thing a check noticed. <see cref="Code"/> is stable (see docs/findings.md); alerts and
/// users' scripts key on it together with <see cref="Subject"/>.
/// </summary>
/// <param name="Code">UPPER_SNAKE code from the catalogue.</param>
/// <param name="Severity">How much it matters.</param>
/// <param name="Subject">What it is about: host:port, an IP, a selector, a domain.</param>
/// <param name="Message">One line a person can act on.</param>
/// <param name="Evidence">What proves it: the server's words, the record text.</param>
public sealed record Finding(
    string Code,
    Severity Severity,
    string Subject,
    string Message,
    IReadOnlyDictionary<string, object?>? Evidence = null);
