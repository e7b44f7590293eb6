using MailHealth.Smtp;

namespace MailHealth.Core.Tests.Smtp;

/// <summary>Sessions awaiting their reply to QUIT apart from their probes: bounded, and drained.</summary>
public sealed class SmtpClosingsTests
{
    [Fact]
    public async Task AtTheBound_ASessionIsRefused_UntilOneCloses_AndDrainWaitsForAll()
    {
        var closings = new SmtpClosings(maxClosing: 2);
        var first = new TaskCompletionSource();
        var second = new TaskCompletionSource();

        Assert.True(closings.TryTrack(first.Task));
        Assert.True(closings.TryTrack(second.Task));
        // A third would be a socket past the bound: its probe awaits its own reply.
        Assert.False(closings.TryTrack(new TaskCompletionSource().Task));
        Assert.Equal(2, closings.Count);
        // One already closed takes no place.
        Assert.True(closings.TryTrack(Task.CompletedTask));

        var drained = closings.DrainAsync();
        first.SetResult();
        Assert.Equal(1, closings.Count);
        Assert.False(drained.IsCompleted);
        Assert.True(closings.TryTrack(new TaskCompletionSource().Task));
        Assert.False(closings.TryTrack(new TaskCompletionSource().Task));

        second.SetResult();
        await drained.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(1, closings.Count);
    }

    [Fact]
    public void ABoundOfNone_IsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new SmtpClosings(maxClosing: 0));
}
