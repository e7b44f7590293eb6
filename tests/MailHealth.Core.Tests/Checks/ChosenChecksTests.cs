using MailHealth.Checks;
using MailHealth.Dane;
using MailHealth.Targets;
using MailHealth.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MailHealth.Core.Tests.Checks;

/// <summary>A target's <c>checks</c>: only the chosen kinds are reported, and what they build on still runs (against the peers).</summary>
public sealed class ChosenChecksTests
{
    private static readonly PortSpec Port25 = new(25, SmtpRole.Smtp);

    [Fact]
    public void Registered_Checks_AreTheKindsInReportOrder()
    {
        using var services = Peers.Services();

        Assert.Equal(CheckKinds.All, services.GetRequiredService<DomainChecker>().Checks.Select(c => c.Kind));
    }

    [Fact]
    public async Task Run_SmtpOnMxHosts_ReportsTheProbeAndTheMxLookupItCameFrom()
    {
        var target = Peers.Target("good.smtp.test", t => t with { Ports = [Port25], Checks = [CheckKinds.Smtp] });

        var report = await Peers.Checker().RunAsync(target, CancellationToken.None);

        Assert.Equal(["mx", "smtp:mx.good.smtp.test:25"], report.Checks.Select(c => c.Id));
        Assert.Equal(CheckStatus.Pass, report.Status);
    }

    [Fact]
    public async Task Run_SmtpOnNamedHosts_ReportsTheProbeAlone()
    {
        var target = Peers.Target("good.smtp.test", t => t with { Hosts = ["mx.good.smtp.test"], Ports = [Port25], Checks = [CheckKinds.Smtp] });

        var report = await Peers.Checker().RunAsync(target, CancellationToken.None);

        Assert.Equal(["smtp:mx.good.smtp.test:25"], report.Checks.Select(c => c.Id));
    }

    [Fact]
    public async Task Run_SmtpOnADomainWithoutMailHosts_IsNotACleanRun()
    {
        var target = Peers.Target("nothing.mx.test", t => t with { Ports = [Port25], Checks = [CheckKinds.Smtp] });

        var report = await Peers.Checker().RunAsync(target, CancellationToken.None);

        Assert.Equal(["mx"], report.Checks.Select(c => c.Id));
        Assert.Equal(CheckStatus.Fail, report.Status);
    }

    [Fact]
    public async Task Run_DaneAlone_StillProbesPort25ToMatchTheCertificate()
    {
        var target = Peers.Target("e2e.transport.test", t => t with { Ports = [Port25], Checks = [CheckKinds.Dane] });

        var report = await Peers.Checker().RunAsync(target, CancellationToken.None);

        var dane = Assert.Single(report.Checks);
        Assert.Equal("dane:e2e.backup.transport.test", dane.Id);
        Assert.Equal(CheckStatus.Pass, dane.Status);
        Assert.Contains("matches", dane.Evidence.Keys);
        Assert.DoesNotContain(dane.Findings, f => f.Code == DaneFindingCodes.TlsUnavailable);
    }
}
