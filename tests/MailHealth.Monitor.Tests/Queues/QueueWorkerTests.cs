using MailHealth.Checks;
using MailHealth.Monitor.Queues;
using MailHealth.Monitor.Tests.Runs;
using MailHealth.Runs;
using MailHealth.Storage.Latest;
using MailHealth.Storage.Queues;
using MailHealth.Storage.Targets;
using MailHealth.Targets;
using MailHealth.Testing;
using MailHealth.Testing.Servers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MailHealth.Monitor.Tests.Queues;

/// <summary>The worker refills a slot as soon as its message is done: a slow run holds its own slot, not the others'.</summary>
public sealed class QueueWorkerTests
{
    [Fact]
    public async Task SlowRun_HoldsOneSlot_TheNextMessagesAreTakenMeanwhile()
    {
        await using var smtp = new GatedSmtpServer();
        // The slow run waits for the greeting until the test opens the gate, however long that takes.
        await using var monitor = await MonitorHarness.StartAsync(configure: services =>
            services.AddSingleton<IOptions<CheckOptions>>(Options.Create(Peers.PatientOptions())));
        var targets = monitor.Get<TargetStore>();
        await targets.UpsertAsync(Target("slow", "slow.example.test", smtp.Ports[0]));
        var quick = Enumerable.Range(1, QueueWorker.MaxInFlight).Select(i => $"quick-{i}").ToList();
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
        Assert.InRange(await drain.WaitAsync(TimeSpan.FromSeconds(60)), QueueWorker.MaxInFlight + 1, 2 * QueueWorker.MaxInFlight + 1);
        Assert.NotNull(await monitor.Get<LatestStatusStore>().GetAsync("slow"));
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
