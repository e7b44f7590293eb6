using MailHealth.Checks;
using MailHealth.Smtp;
using MailHealth.Targets;
using MailHealth.Testing;

namespace MailHealth.Core.Tests.Smtp;

/// <summary>Every host of a target's MX times every port, through the test DNS.</summary>
public sealed class SmtpProbeRunnerTests
{
    [Fact]
    public async Task ProbeAll_GoodDomain_OneCleanResultPerPort()
    {
        var context = Peers.Context(Peers.Target("good.smtp.test"));

        var outcomes = await SmtpProbeRunner.ProbeAllAsync(context, CancellationToken.None);

        Assert.Equal(["smtp:mx.good.smtp.test:25", "smtp:mx.good.smtp.test:587", "smtp:mx.good.smtp.test:465"], outcomes.Select(o => o.Result.Id));
        Assert.All(outcomes, o => Assert.Equal(CheckStatus.Pass, o.Result.Status));
        Assert.All(outcomes, o => Assert.Equal("smtp", o.Result.Kind));
    }

    [Fact]
    public async Task ProbeAll_HostWithoutAddress_ErrorResultsWithoutProbing()
    {
        var context = Peers.Context(Peers.Target("noaddr.smtp.test", t => t with { Ports = [new PortSpec(25, SmtpRole.Smtp)] }));

        var outcome = Assert.Single(await SmtpProbeRunner.ProbeAllAsync(context, CancellationToken.None));

        Assert.Equal("smtp:ghost.noaddr.smtp.test:25", outcome.Result.Id);
        Assert.Equal(CheckStatus.Error, outcome.Result.Status);
        Assert.Empty(outcome.Result.Findings);
        Assert.Null(outcome.Address);
    }

    [Fact]
    public async Task ProbeAll_TwoAddressesFirstRefusing_ConnectsToTheSecond()
    {
        var context = Peers.Context(Peers.Target("fallback.smtp.test", t => t with { Ports = [new PortSpec(25, SmtpRole.Smtp)] }));

        var outcome = Assert.Single(await SmtpProbeRunner.ProbeAllAsync(context, CancellationToken.None));

        Assert.Equal(Peers.Address(10, 1), outcome.Address);
        Assert.DoesNotContain(SmtpFindingCodes.ConnectRefused, outcome.Result.Findings.Select(f => f.Code));
    }

    [Fact]
    public async Task Check_ThroughDomainChecker_ReportsSmtpResults()
    {
        var checker = Peers.Checker();

        var report = await checker.RunAsync(Peers.Target("notls.smtp.test"), CancellationToken.None);

        var smtp = report.Checks.Where(c => c.Kind == "smtp").ToList();
        Assert.Equal(3, smtp.Count);
        Assert.Contains(report.Findings, f => f.Code == SmtpFindingCodes.ImplicitTlsFailed && f.Subject == "mx.notls.smtp.test:465");
        Assert.True(report.HasCritical);
    }
}
