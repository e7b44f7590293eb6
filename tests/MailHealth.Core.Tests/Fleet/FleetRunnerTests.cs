using System.Collections.Concurrent;
using MailHealth.Checks;
using MailHealth.Egress;
using MailHealth.Fleet;
using MailHealth.Network;
using MailHealth.Reports;
using MailHealth.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MailHealth.Core.Tests.Fleet;

/// <summary>Fleet runs: reports stream as targets finish, with a bound on targets at once.</summary>
public sealed class FleetRunnerTests
{
    /// <summary>A check that waits until the test releases its target.</summary>
    private sealed class GateCheck(ConcurrentDictionary<string, TaskCompletionSource> gates, Action<int> running) : ICheck
    {
        private int _now;

        public string Kind => "gate";

        public async Task<IReadOnlyList<CheckResult>> RunAsync(CheckContext context, CancellationToken cancellationToken)
        {
            running(Interlocked.Increment(ref _now));
            try
            {
                await gates.GetOrAdd(context.Target.Id, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task.WaitAsync(cancellationToken);
                return [context.Result("gate", "gate", context.Target.Domain).Build()];
            }
            finally
            {
                Interlocked.Decrement(ref _now);
            }
        }
    }

    private static FleetRunner Runner(ICheck check) =>
        new(
            new DomainChecker([check], CheckServices.Default, Peers.Resolver(), Options.Create(new CheckOptions()), NetworkLimiter.Unbounded, TimeProvider.System, NullLogger<DomainChecker>.Instance),
            Options.Create(new FleetSettings()));

    private static EgressSignalWindow Window() => new(TimeProvider.System, TimeSpan.FromHours(1));

    [Fact]
    public async Task Run_OneTargetFinishes_ItsReportComesBeforeTheOthersFinish()
    {
        var gates = new ConcurrentDictionary<string, TaskCompletionSource>();
        var runner = Runner(new GateCheck(gates, _ => { }));
        gates["quick"] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        gates["quick"].SetResult();

        await using var reports = runner.RunAsync([Peers.Target("slow.test", t => t with { Id = "slow" }), Peers.Target("quick.test", t => t with { Id = "quick" })], Window()).GetAsyncEnumerator();

        Assert.True(await reports.MoveNextAsync());
        Assert.Equal("quick", reports.Current.Target.Id);
        gates.GetOrAdd("slow", _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).SetResult();
        Assert.True(await reports.MoveNextAsync());
        Assert.Equal("slow", reports.Current.Target.Id);
        Assert.False(await reports.MoveNextAsync());
    }

    [Fact]
    public async Task Run_ManyTargets_NeverMoreThanTheBoundAtOnce()
    {
        var gates = new ConcurrentDictionary<string, TaskCompletionSource>();
        var peak = 0;
        var runner = Runner(new GateCheck(gates, now => InterlockedMax(ref peak, now)));
        var targets = Enumerable.Range(0, 12).Select(i => Peers.Target($"t{i}.test", t => t with { Id = $"t{i}" })).ToList();
        foreach (var target in targets)
        {
            gates.GetOrAdd(target.Id, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).SetResult();
        }

        var seen = new List<Report>();
        await foreach (var report in runner.RunAsync(targets, Window(), maxConcurrentTargets: 3))
        {
            seen.Add(report);
        }

        Assert.Equal(targets.Select(t => t.Id).Order(), seen.Select(r => r.Target.Id).Order());
        Assert.InRange(peak, 1, 3);
    }

    [Fact]
    public async Task Run_ReaderStopsEarly_RunningTargetsAreCancelled()
    {
        var gates = new ConcurrentDictionary<string, TaskCompletionSource>();
        var runner = Runner(new GateCheck(gates, _ => { }));
        gates.GetOrAdd("first", _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).SetResult();

        await foreach (var report in runner.RunAsync([Peers.Target("first.test", t => t with { Id = "first" }), Peers.Target("never.test", t => t with { Id = "never" })], Window()))
        {
            Assert.Equal("first", report.Target.Id);
            break;
        }

        // Leaving the loop returned: the target still waiting at its gate was cancelled, not awaited forever.
        Assert.False(gates.GetOrAdd("never", _ => new TaskCompletionSource()).Task.IsCompleted);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
