namespace MailHealth.Checks;

/// <summary>
/// One area of checks (MX, SMTP, SPF, ...). Pure application code: it reads DNS and talks to mail
/// servers through the context and returns results; it never touches storage or a host.
/// </summary>
public interface ICheck
{
    /// <summary>The kind of the results it yields, such as <c>spf</c>; used for ordering and logs.</summary>
    string Kind { get; }

    Task<IReadOnlyList<CheckResult>> RunAsync(CheckContext context, CancellationToken cancellationToken);
}
