using System.Security.Authentication;
using MailHealth.Checks;
using MailHealth.Smtp;
using MailHealth.Targets;

namespace MailHealth.Core.Tests.Smtp;

/// <summary>
/// The rules alone, for what no peer here can play: a server whose best protocol is below TLS 1.2
/// (this machine's OpenSSL refuses to negotiate one at all, on either side).
/// </summary>
public sealed class SmtpFindingRulesTests
{
    private static IReadOnlyList<Finding> Apply(SslProtocols protocol)
    {
        var seen = new SmtpObservation { Role = SmtpRole.Smtp, HostName = "mx.example.test", Port = 25 };
        seen.TlsEstablished = true;
        seen.TlsProtocol = protocol;
        var result = new CheckResultBuilder("smtp:mx.example.test:25", "smtp", "mx.example.test:25", TimeProvider.System);
        SmtpFindingRules.Apply(seen, new CheckOptions(), result);
        return result.Findings;
    }

    [Fact]
    public void Apply_Tls11_TlsProtocolWeak()
    {
        var finding = Assert.Single(Apply((SslProtocols)0x0300));

        Assert.Equal(SmtpFindingCodes.TlsProtocolWeak, finding.Code);
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Contains("TLSv1.1", finding.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SslProtocols.Tls12)]
    [InlineData(SslProtocols.Tls13)]
    public void Apply_Tls12OrLater_NoTlsProtocolWeak(SslProtocols protocol) =>
        Assert.Empty(Apply(protocol));
}
