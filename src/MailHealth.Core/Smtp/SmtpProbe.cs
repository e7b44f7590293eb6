using MailHealth.Checks;
using MailHealth.Mx;
using MailHealth.Network;
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

    /// <summary>
    /// The outcome of a host whose every address the address policy refuses: no connection, status
    /// error (we refused to look, which says nothing of the server). A host the target names gets
    /// SMTP_ADDRESS_NOT_ALLOWED, the operator's to settle; a host from the domain's DNS is the mx
    /// check's MX_PRIVATE_ADDRESS, a fault of the domain, not repeated here per port.
    /// </summary>
    internal static SmtpProbeOutcome NotAllowed(CheckContext context, MailHost host, PortSpec port, IReadOnlyList<AddressVerdict> verdicts, bool namedByTarget)
    {
        var result = Start(context, host, port);
        var addresses = verdicts.Select(v => v.ToEvidence()).ToList();
        result.Evidence("role", port.Role.ToString().ToLowerInvariant());
        result.Evidence("addressPolicy", addresses);
        if (namedByTarget)
        {
            result.Add(SmtpFindingCodes.AddressNotAllowed, Severity.Warning,
                $"{host.Name}, a host of the target, is not probed: {string.Join("; ", verdicts.Select(v => v.Refusal))}",
                new Dictionary<string, object?> { ["addresses"] = addresses });
            result.MarkError($"not probed: the address policy refuses every address of {host.Name}");
        }
        else
        {
            // The addresses and their ranges are in the evidence, and in the mx check's finding.
            result.MarkError($"not probed: {host.Name} resolves only to addresses the monitor does not connect to; the mx check reports it as {MxFindingCodes.PrivateAddress}");
        }

        return new SmtpProbeOutcome { Host = host, Port = port, Result = result.Build() };
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
