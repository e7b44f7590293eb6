using System.Net;
using MailHealth.Egress;
using MailHealth.Monitor.Tests.Runs;
using MailHealth.Smtp;
using MailHealth.Storage.Alerts;
using MailHealth.Storage.Egress;
using MailHealth.Storage.Targets;
using MailHealth.Targets;
using MailHealth.Testing;
using MailHealth.Testing.Servers;

namespace MailHealth.Monitor.Tests.Egress;

/// <summary>
/// Port-25 egress judged with one queue message per target, through the fleet's signals in Table
/// Storage: a blocked port 25 on every target gives one monitor-level finding and no per-target
/// alert; once another target's port 25 answers, a target whose port 25 is really down alerts.
/// </summary>
public sealed class FleetEgressOnStorageTests
{
    [Fact]
    public async Task Runs_Port25SilentEverywhere_EgressBlockedWithoutAlertsUntilAnotherTargetAnswers()
    {
        var first = Peers.Address(61, 1);
        var second = Peers.Address(61, 2);
        using var blocked1 = new BacklogFullListener(new IPEndPoint(first, 25));
        using var blocked2 = new BacklogFullListener(new IPEndPoint(second, 25));
        await using var submission1 = Submission(first);
        await using var submission2 = Submission(second);
        await using var monitor = await MonitorHarness.StartAsync();
        await AddBlockedAsync(monitor, "one", first);
        await AddBlockedAsync(monitor, "two", second);

        var runOne = await monitor.RunAsync("one", MonitorHarness.Slot(0));
        var runTwo = await monitor.RunAsync("two", MonitorHarness.Slot(0));

        // One target alone cannot tell: unverified, no monitor finding. The second makes two: blocked.
        Assert.Empty(runOne.Report!.MonitorFindings);
        Assert.Equal(EgressFindingCodes.EgressBlocked, Assert.Single(runTwo.Report!.MonitorFindings).Code);
        Assert.Equal(EgressVerdict.Blocked, await monitor.Get<EgressSignalStore>().ReadVerdictAsync(2, CancellationToken.None));
        foreach (var id in new[] { "one", "two" })
        {
            Assert.DoesNotContain(await monitor.Get<AlertStore>().GetOfTargetAsync(id), a => a.Alert.Key.Code == SmtpFindingCodes.ConnectTimeout);
        }

        // A target whose port 25 answers proves egress open: "one" is then really down, and alerts (critical: at once).
        await monitor.AddTargetAsync("good", "good.smtp.test");
        await monitor.RunAsync("good", MonitorHarness.Slot(1));
        var again = await monitor.RunAsync("one", MonitorHarness.Slot(1));

        Assert.Empty(again.Report!.MonitorFindings);
        Assert.Contains(again.Transitions, t => t.Key.Code == SmtpFindingCodes.ConnectTimeout && t.Key.Subject.EndsWith(":25", StringComparison.Ordinal));
    }

    private static SocketServer Submission(IPAddress address) => new(
        (socket, stop) => HostileSmtpServers.ConverseAsync(socket, "220 sub.egress.test ESMTP", ["250-sub.egress.test", "250 STARTTLS"], stop),
        address,
        587);

    private static async Task AddBlockedAsync(MonitorHarness monitor, string id, IPAddress address)
    {
        var target = TargetValidator.Validate(new TargetDefinition
        {
            Id = id,
            Domain = "good.mx.test",
            Hosts = [address.ToString()],
            Ports = ["25", "587"],
            Dnsbl = [],
        }).Target!;
        await monitor.Get<TargetStore>().UpsertAsync(target);
    }
}
