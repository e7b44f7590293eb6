using MailHealth.Cli.Serve;
using Microsoft.Extensions.Time.Testing;

namespace MailHealth.Cli.Tests.Serve;

/// <summary>The queue worker's idle pause: woken by a notification, over when the pause is, and quiet about it.</summary>
public sealed class WorkSignalTests
{
    private static readonly TimeSpan Pause = TimeSpan.FromSeconds(1);

    /// <summary>Set in a test's own flow, so the exception watcher counts that flow's throws and not other tests'.</summary>
    private static readonly AsyncLocal<bool> InThisTest = new();

    [Fact]
    public async Task APauseThatEnds_ReturnsWithoutAnExceptionThrown_AndANotificationWakesAtOnce()
    {
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        var signal = new WorkSignal();
        var thrown = 0;
        EventHandler<System.Runtime.ExceptionServices.FirstChanceExceptionEventArgs> watch = (_, _) =>
        {
            if (InThisTest.Value)
            {
                Interlocked.Increment(ref thrown);
            }
        };
        InThisTest.Value = true;
        AppDomain.CurrentDomain.FirstChanceException += watch;
        try
        {
            var waiting = signal.WaitAsync(Pause, time, CancellationToken.None);
            Assert.False(waiting.IsCompleted);
            time.Advance(Pause);
            await waiting.WaitAsync(TimeSpan.FromSeconds(30));

            signal.Notify();
            signal.Notify();
            await signal.WaitAsync(Pause, time, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
            // One wake-up covers both notifications: the next wait is a whole pause again.
            Assert.False(signal.WaitAsync(Pause, time, CancellationToken.None).IsCompleted);
        }
        finally
        {
            AppDomain.CurrentDomain.FirstChanceException -= watch;
        }

        Assert.Equal(0, thrown);
    }

    [Fact]
    public async Task Stopping_EndsTheWait_WithCancellation()
    {
        using var stopping = new CancellationTokenSource();
        var waiting = new WorkSignal().WaitAsync(TimeSpan.FromMinutes(1), TimeProvider.System, stopping.Token);

        await stopping.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(30)));
    }
}
