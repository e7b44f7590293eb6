using MailHealth.Checks;
using MailHealth.Targets;

namespace MailHealth.Smtp;

/// <summary>
/// One SMTP probe of one host and port (check id <c>smtp:HOST:PORT</c>): connect, greeting,
/// EHLO, TLS and certificate, optional relay test and AUTH, each stage timed and bounded.
/// </summary>
public static class SmtpProbe
{
    public static async Task<SmtpProbeOutcome> ProbeAsync(CheckContext context, MailHost host, PortSpec port, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(host);
        var result = Start(context, host, port);
        if (host.Addresses.Count == 0)
        {
            result.Evidence("role", port.Role.ToString().ToLowerInvariant());
            result.MarkError($"{host.Name} has no address (A/AAAA) to connect to");
            return new SmtpProbeOutcome { Host = host, Port = port, Result = result.Build() };
        }

        var seen = await SmtpConversation.RunAsync(context, host, port, cancellationToken).ConfigureAwait(false);
        SmtpFindingRules.Apply(seen, context.Options, result);
        SmtpEvidence.Write(seen, result);
        return new SmtpProbeOutcome
        {
            Host = host,
            Port = port,
            Address = seen.Address,
            GreetingHostname = seen.GreetingHostname,
            TlsEstablished = seen.TlsEstablished,
            CertificateChain = seen.CertificateChain,
            Certificate = seen.Certificate,
            ConnectTimedOut = SmtpEvidence.TimedOut(seen),
            Result = result.Build(),
        };
    }

    /// <summary>The outcome of a probe that never started (the run ended first).</summary>
    internal static SmtpProbeOutcome NotRun(CheckContext context, MailHost host, PortSpec port, string reason) => new()
    {
        Host = host,
        Port = port,
        Result = Start(context, host, port).MarkError(reason).Build(),
    };

    private static CheckResultBuilder Start(CheckContext context, MailHost host, PortSpec port)
    {
        var subject = $"{host.Name}:{port.Port}";
        return context.Result($"smtp:{subject}", SmtpCheck.KindName, subject);
    }
}
