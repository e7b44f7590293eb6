using MailHealth.Checks;

namespace MailHealth.Smtp;

/// <summary>Probes every host and port of a target, with the run's concurrency bound.</summary>
public static class SmtpProbeRunner
{
    public static Task<IReadOnlyList<SmtpProbeOutcome>> ProbeAllAsync(CheckContext context, CancellationToken cancellationToken)
    {
        // TODO(smtp): the MailKit probe lands with the SMTP work.
        return Task.FromResult<IReadOnlyList<SmtpProbeOutcome>>([]);
    }
}
