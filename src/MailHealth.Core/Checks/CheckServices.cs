using MailHealth.Mx;
using MailHealth.Smtp;

namespace MailHealth.Checks;

/// <summary>
/// The shared computations behind <see cref="CheckContext"/>. A record of delegates so that the
/// runner composes the real ones and a test can replace one stage without the others.
/// </summary>
public sealed record CheckServices(
    Func<CheckContext, CancellationToken, Task<MxResult>> LookupMx,
    Func<CheckContext, CancellationToken, Task<MailHostSet>> ResolveMailHosts,
    Func<CheckContext, CancellationToken, Task<IReadOnlyList<SmtpProbeOutcome>>> ProbeSmtp)
{
    /// <summary>The real stages: the MX lookup, the mail hosts' addresses, the SMTP probes.</summary>
    public static CheckServices Default { get; } = new(
        MxLookup.LookupAsync,
        MailHostResolver.ResolveAsync,
        SmtpProbeRunner.ProbeAllAsync);
}
