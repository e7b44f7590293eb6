using MailHealth.Network;

namespace MailHealth.Core.Tests.Network;

/// <summary>The process-wide bound: never more than N at once; a nested operation reuses its slot.</summary>
public sealed class NetworkLimiterTests
{
    [Fact]
    public async Task Run_ManyOperations_NeverMoreThanTheLimitAtOnce()
    {
        using var limiter = new NetworkLimiter(3);
        var running = 0;
        var peak = 0;
        var release = new TaskCompletionSource();

        var operations = Enumerable.Range(0, 10).Select(_ => limiter.RunAsync(async _ =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref peak, now);
            await release.Task;
            Interlocked.Decrement(ref running);
            return 0;
        }, CancellationToken.None)).ToList();

        await WaitUntilAsync(() => Volatile.Read(ref running) == 3);
        Assert.Equal(3, limiter.InUse);
        release.SetResult();
        await Task.WhenAll(operations);

        Assert.Equal(3, peak);
        Assert.Equal(0, limiter.InUse);
    }

    [Fact]
    public async Task Run_NestedInsideAHeldSlot_DoesNotWaitForASecond()
    {
        using var limiter = new NetworkLimiter(1);

        // With one slot, a nested operation that asked for a second one would wait forever.
        var result = await limiter.RunAsync(ct => limiter.RunAsync(_ => Task.FromResult(42), ct), CancellationToken.None);

        Assert.Equal(42, result);
        Assert.Equal(0, limiter.InUse);
    }

    [Fact]
    public async Task Run_CancelledWhileWaiting_Throws()
    {
        using var limiter = new NetworkLimiter(1);
        var hold = new TaskCompletionSource<int>();
        var holder = limiter.RunAsync(_ => hold.Task, CancellationToken.None);
        using var cancel = new CancellationTokenSource();

        var waiting = limiter.RunAsync(_ => Task.FromResult(1), cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        hold.SetResult(0);
        await holder;
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        // Progress, not timing: gives up only after a generous bound so a loaded machine cannot fail it.
        for (var i = 0; i < 6000 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }
}
