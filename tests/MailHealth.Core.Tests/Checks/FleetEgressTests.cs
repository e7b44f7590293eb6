using System.Net;
using MailHealth.Checks;
using MailHealth.Egress;
using MailHealth.Reports;
using MailHealth.Smtp;
using MailHealth.Targets;
using MailHealth.Testing;
using MailHealth.Testing.Servers;

namespace MailHealth.Core.Tests.Checks;

/// <summary>
/// A whole run with the real checker: a host whose port 25 never completes a TCP connect (as
/// behind a cloud's egress block) while its submission port answers.
/// </summary>
public sealed class FleetEgressTests
{
    private static async Task<IReadOnlyList<Report>> RunBlockedPort25Async(int egressMinimumTargets, IReadOnlyList<PortProbeSignal>? otherTargetsSignals = null)
    {
        var address = Peers.Address(60, 1);
        using var blocked = new BacklogFullListener(new IPEndPoint(address, 25));
        await using var submission = new SocketServer(
            (socket, stop) => HostileSmtpServers.ConverseAsync(socket, "220 sub.egress.test ESMTP", ["250-sub.egress.test", "250 STARTTLS"], stop),
            address,
            587);
        var target = Peers.Target("good.mx.test", t => t with
        {
            Hosts = [address.ToString()],
            Ports = [new PortSpec(25, SmtpRole.Smtp), new PortSpec(587, SmtpRole.Submission)],
            DnsblZones = ["bl.rep.test"],
        });
        var options = Peers.Options(o => new CheckOptions
        {
            ExtraTrustRoots = o.ExtraTrustRoots,
            HeloName = o.HeloName,
            AllowedNetworks = o.AllowedNetworks,
            ConnectTimeout = TimeSpan.FromSeconds(1),
            ProbeDeadline = TimeSpan.FromSeconds(20),
        });

        var window = new EgressSignalWindow(TimeProvider.System, TimeSpan.FromHours(1));
        if (otherTargetsSignals is not null)
        {
            await window.RecordAndReadAsync("other", otherTargetsSignals, CancellationToken.None);
        }

        var reports = new List<Report>();
        await foreach (var report in Peers.Fleet(options: options).RunAsync([target], window, egressMinimumTargets))
        {
            reports.Add(report);
        }

        return reports;
    }

    [Fact]
    public async Task Run_Port25TimesOutWhileSubmissionConnects_EgressBlockedAndPort25IsError()
    {
        var report = Assert.Single(await RunBlockedPort25Async(egressMinimumTargets: 1));

        var egress = Assert.Single(report.MonitorFindings);
        Assert.Equal(EgressFindingCodes.EgressBlocked, egress.Code);
        var port25 = report.Checks.Single(c => c.Kind == SmtpCheck.KindName && c.Subject.EndsWith(":25", StringComparison.Ordinal));
        Assert.Equal(CheckStatus.Error, port25.Status);
        Assert.Equal(true, port25.Evidence[PortProbeSignal.ConnectTimedOutEvidence]);
        Assert.Equal(false, port25.Evidence[PortProbeSignal.ConnectedEvidence]);
        var submission = report.Checks.Single(c => c.Kind == SmtpCheck.KindName && c.Subject.EndsWith(":587", StringComparison.Ordinal));
        Assert.Equal(true, submission.Evidence[PortProbeSignal.ConnectedEvidence]);
        Assert.DoesNotContain(report.Findings, f => f.Code == SmtpFindingCodes.ConnectTimeout);
        Assert.Contains(report.Findings, f => f.Code == EgressFindingCodes.EgressBlocked);
    }

    [Fact]
    public async Task Run_OneTargetWithTheMonitorsDefault_Port25IsUnverifiedErrorWithoutMonitorFinding()
    {
        // Too few targets to blame egress, and nothing proves it open: the timeout is not held
        // against the target (no alert), and no monitor-level finding is raised either.
        var report = Assert.Single(await RunBlockedPort25Async(EgressAnalysis.DefaultMinimumTargets));

        Assert.Empty(report.MonitorFindings);
        var port25 = report.Checks.Single(c => c.Kind == SmtpCheck.KindName && c.Subject.EndsWith(":25", StringComparison.Ordinal));
        Assert.Equal(CheckStatus.Error, port25.Status);
        Assert.DoesNotContain(port25.Findings, f => f.Code == SmtpFindingCodes.ConnectTimeout);
        Assert.Contains("may be blocked", port25.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_AnotherTargetReachedPort25_TheTimeoutIsTheTargetsOwn()
    {
        // Egress is proven open by another target's answer on 25: this target's port 25 is really down.
        var other = new PortProbeSignal("other", "smtp:mx.other.test:25", 25, TimedOut: false, Connected: true);

        var report = Assert.Single(await RunBlockedPort25Async(EgressAnalysis.DefaultMinimumTargets, [other]));

        Assert.Empty(report.MonitorFindings);
        var port25 = report.Checks.Single(c => c.Kind == SmtpCheck.KindName && c.Subject.EndsWith(":25", StringComparison.Ordinal));
        Assert.Equal(CheckStatus.Fail, port25.Status);
        Assert.Contains(port25.Findings, f => f.Code == SmtpFindingCodes.ConnectTimeout && f.Severity == Severity.Critical);
    }

    [Fact]
    public async Task Run_AnotherTargetAlsoTimedOutOn25_EgressBlocked()
    {
        var other = new PortProbeSignal("other", "smtp:mx.other.test:25", 25, TimedOut: true, Connected: false);

        var report = Assert.Single(await RunBlockedPort25Async(EgressAnalysis.DefaultMinimumTargets, [other]));

        var egress = Assert.Single(report.MonitorFindings);
        Assert.Equal(EgressFindingCodes.EgressBlocked, egress.Code);
        Assert.Equal(2, egress.Evidence!["targets"]);
    }
}
