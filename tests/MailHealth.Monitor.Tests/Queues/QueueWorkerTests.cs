using System.Globalization;
using System.Net;
using MailHealth.Checks;
using MailHealth.Monitor.Queues;
using MailHealth.Monitor.Tests.Runs;
using MailHealth.Runs;
using MailHealth.Storage.Availability;
using MailHealth.Storage.Latest;
using MailHealth.Storage.Queues;
using MailHealth.Storage.Targets;
using MailHealth.Targets;
using MailHealth.Testing;
using MailHealth.Testing.Http;
using MailHealth.Testing.Servers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace MailHealth.Monitor.Tests.Queues;

/// <summary>The worker refills a slot as soon as its message is done: a slow run holds its own slot, not the others'.</summary>
public sealed class QueueWorkerTests
{
    /// <summary>The worker's runs at once in these tests (MailHealth:Monitor:RunsInFlight).</summary>
    private const int InFlight = 16;

    [Fact]
    public async Task AReceiveStorageNeverAnswers_FailsTheDrainAtTheStorageDeadline_NotTheClientsTimeout()
    {
        // Receives of the notification queue are held, never answered; the storage client would
        // wait its network timeout (5 minutes here) before it gave up.
        await using var queues = new FaultingHttpProxy(
            new IPEndPoint(Peers.AzuriteAddress, 10001),
            (method, path) => method == "GET" && path.Contains("-notifications/messages", StringComparison.Ordinal) ? ProxyFault.Silent : ProxyFault.None);
        await using var monitor = await MonitorHarness.StartAsync(new Dictionary<string, string?>
        {
            ["MailHealth:Storage:ConnectionString"] = Peers.AzuriteConnectionStringWithQueuesAt(queues.Endpoint),
            ["MailHealth:Storage:NetworkTimeout"] = "00:05:00",
            ["MailHealth:Storage:MaxRetries"] = "0",
            ["MailHealth:Monitor:StorageDeadline"] = "00:00:05",
        });

        var e = await Assert.ThrowsAsync<StorageUnavailableException>(() => monitor.DrainAsync().WaitAsync(TimeSpan.FromMinutes(2)));

        Assert.Equal("storage did not answer within 5 s", e.Message);
        Assert.Equal(1, queues.Failed);
    }

    [Fact]
    public async Task SlowRun_HoldsOneSlot_TheNextMessagesAreTakenMeanwhile()
    {
        await using var smtp = new GatedSmtpServer();
        // The slow run waits for the greeting until the test opens the gate, however long that takes.
        await using var monitor = await MonitorHarness.StartAsync(
            new Dictionary<string, string?> { ["MailHealth:Monitor:RunsInFlight"] = InFlight.ToString(CultureInfo.InvariantCulture) },
            configure: services => services.AddSingleton<IOptions<CheckOptions>>(Options.Create(Peers.PatientOptions())));
        var targets = monitor.Get<TargetStore>();
        await targets.UpsertAsync(Target("slow", "slow.example.test", smtp.Ports[0]));
        var quick = Enumerable.Range(1, InFlight).Select(i => $"quick-{i}").ToList();
        foreach (var id in quick)
        {
            await targets.UpsertAsync(Target(id, "nothing.mx.test"));
        }

        var slot = MonitorHarness.Slot(0);
        foreach (var id in quick.Prepend("slow"))
        {
            await monitor.Get<ProbeQueue>().SendAsync(new ProbeRequest(id, slot), null, CancellationToken.None);
        }

        var drain = monitor.DrainAsync();
        await smtp.ConnectionsAsync(1).WaitAsync(TimeSpan.FromSeconds(30));
        // Sixteen slots: the slow run holds one, and the sixteen quick runs get through the other
        // fifteen while it waits (a worker that waited for its whole batch would stop at fifteen).
        await EventuallyStoredAsync(monitor, quick);
        Assert.Null(await monitor.Get<LatestStatusStore>().GetAsync("slow"));
        Assert.False(drain.IsCompleted);

        smtp.Open();

        // Seventeen runs, and the notifications of the alerts the quick ones opened (MX_MISSING).
        Assert.InRange(await drain.WaitAsync(TimeSpan.FromSeconds(60)), InFlight + 1, 2 * InFlight + 1);
        Assert.NotNull(await monitor.Get<LatestStatusStore>().GetAsync("slow"));
    }

    [Fact]
    public async Task ManyRuns_AreTakenAnEighthOfTheSlotsAtATime_AndAnEmptyQueueIsNotAskedAgainAndAgain()
    {
        // The clock stands still: a queue found empty rests until the drain's last sweep.
        var time = new FakeTimeProvider(TestClock.Start);
        await using var monitor = await MonitorHarness.StartAsync(
            new Dictionary<string, string?> { ["MailHealth:Monitor:RunsInFlight"] = InFlight.ToString(CultureInfo.InvariantCulture) }, time);
        var targets = monitor.Get<TargetStore>();
        var ids = Enumerable.Range(1, 40).Select(i => $"many-{i}").ToList();
        foreach (var id in ids)
        {
            await targets.UpsertAsync(Target(id, "nothing.mx.test"));
            await monitor.Get<ProbeQueue>().SendAsync(new ProbeRequest(id, MonitorHarness.Slot(0)), null, CancellationToken.None);
        }

        var handled = await monitor.DrainAsync();

        // Forty runs, and the notifications of the alerts they opened (MX_MISSING).
        Assert.InRange(handled, 40, 80);
        await EventuallyStoredAsync(monitor, ids);
        var probes = monitor.Get<ProbeQueue>().ReceiveCounts;
        var notifications = monitor.Get<NotificationQueue>().ReceiveCounts;
        var reports = monitor.Get<ReportQueue>().ReceiveCounts;
        // A receive per finished run would be 25 or more: 16 at first, then at least 2 a receive, then the last sweeps.
        Assert.InRange(probes.Receives, 3, 1 + ((40 - InFlight) / QueueWorker.RefillAt(InFlight)) + 3);
        // Asked at the start and in the last sweeps only, not each time a run finished.
        Assert.InRange(notifications.Empty, 1, 3);
        Assert.InRange(reports.Receives, 1, 3);
    }

    private static Target Target(string id, string domain, int? port = null) => TargetValidator.Validate(new TargetDefinition
    {
        Id = id,
        Domain = domain,
        Hosts = port is null ? null : ["127.0.0.1"],
        Ports = port is null ? null : [$"{port}:smtp"],
        Checks = port is null ? ["mx"] : ["smtp"],
    }).Target!;

    /// <summary>Polls storage, bounded: the runs' only trace is what they stored.</summary>
    private static async Task EventuallyStoredAsync(MonitorHarness monitor, IReadOnlyList<string> ids)
    {
        var latest = monitor.Get<LatestStatusStore>();
        for (var attempt = 0; attempt < 300; attempt++)
        {
            var stored = 0;
            foreach (var id in ids)
            {
                stored += await latest.GetAsync(id) is null ? 0 : 1;
            }

            if (stored == ids.Count)
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new Xunit.Sdk.XunitException($"the quick runs were not all stored while the slow one waited");
    }
}
