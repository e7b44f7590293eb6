using System.Net;
using MailHealth.Checks;
using MailHealth.Smtp;
using MailHealth.Targets;

namespace MailHealth.Core.Tests.ReverseDns;

/// <summary>SMTP probe outcomes built from plain data: what the SMTP probe would have seen.</summary>
internal static class ProbeOutcomes
{
    public static SmtpProbeOutcome Greeting(string host, int port, IPAddress? address, string? greeting) => new()
    {
        Host = new MailHost(host, 10, address is null ? [] : [address]),
        Port = new PortSpec(port, PortSpec.WellKnownRole(port) ?? SmtpRole.Smtp),
        Address = address,
        GreetingHostname = greeting,
        Result = new CheckResult
        {
            Id = $"smtp:{host}:{port}",
            Kind = "smtp",
            Subject = $"{host}:{port}",
            Status = CheckStatus.Pass,
            DurationMs = 0,
        },
    };
}
