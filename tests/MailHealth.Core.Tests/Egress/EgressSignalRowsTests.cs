using MailHealth.Egress;

namespace MailHealth.Core.Tests.Egress;

/// <summary>The rows a window keeps: one answer stands for the fleet, and the verdict is the one all the signals give.</summary>
public sealed class EgressSignalRowsTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(30);

    [Fact]
    public void Within_APort25Answer_IsAllTheVerdictNeeds()
    {
        var rows = new EgressSignalRows();
        rows.Set("a", Start, [TimedOut("a"), Submission("a")]);
        rows.Set("b", Start, [Answered("b")]);
        rows.Set("c", Start.AddMinutes(1), [TimedOut("c")]);

        var read = rows.Within(Start.AddMinutes(2), Window);

        Assert.Equal([Answered("b")], read);
        Assert.Equal(EgressVerdict.Open, EgressAnalysis.Judge(read));
    }

    [Fact]
    public void Within_TheAnsweringTargetTimesOutLater_AllTheSignalsAreReadAgain()
    {
        var rows = new EgressSignalRows();
        rows.Set("a", Start, [Answered("a")]);
        rows.Set("b", Start, [TimedOut("b"), Submission("b")]);
        rows.Set("a", Start.AddMinutes(5), [TimedOut("a")]);

        var read = rows.Within(Start.AddMinutes(6), Window);

        Assert.Equal(3, read.Count);
        Assert.Equal(EgressVerdict.Blocked, EgressAnalysis.Judge(read, 2));
    }

    [Fact]
    public void Within_AnAnswerOlderThanTheWindow_NoLongerCounts_NorDoItsRows()
    {
        var rows = new EgressSignalRows();
        rows.Set("a", Start, [Answered("a")]);
        rows.Set("b", Start.AddMinutes(20), [TimedOut("b"), Submission("b")]);
        rows.Set("c", Start.AddMinutes(25), [TimedOut("c")]);

        var read = rows.Within(Start.AddMinutes(40), Window);

        Assert.DoesNotContain(read, s => s.TargetId == "a");
        Assert.Equal(EgressVerdict.Blocked, EgressAnalysis.Judge(read, 2));
        Assert.DoesNotContain(rows.Rows, r => r.Key == "a");
    }

    [Fact]
    public void Within_AnyHistory_GivesTheVerdictOfEveryTargetsLatestSignals()
    {
        // Random fleets and orders against the plain definition: every target's latest signals within the window.
        var random = new Random(7);
        for (var round = 0; round < 500; round++)
        {
            var rows = new EgressSignalRows();
            var latest = new Dictionary<string, (DateTimeOffset At, IReadOnlyList<PortProbeSignal> Signals)>();
            var now = Start;
            for (var step = 0; step < 30; step++)
            {
                now += TimeSpan.FromMinutes(random.Next(0, 8));
                var id = $"t{random.Next(6)}";
                IReadOnlyList<PortProbeSignal> signals = random.Next(4) switch
                {
                    0 => [Answered(id)],
                    1 => [TimedOut(id), Submission(id)],
                    2 => [],
                    _ => [TimedOut(id)],
                };
                rows.Set(id, now, signals);
                latest[id] = (now, signals);

                var plain = latest.Values.Where(r => now - r.At <= Window).SelectMany(r => r.Signals).ToList();
                Assert.Equal(EgressAnalysis.Judge(plain, 2), EgressAnalysis.Judge(rows.Within(now, Window), 2));
            }
        }
    }

    private static PortProbeSignal Answered(string target) => new(target, $"smtp:mx.{target}.test:25", 25, TimedOut: false, Connected: true);

    private static PortProbeSignal TimedOut(string target) => new(target, $"smtp:mx.{target}.test:25", 25, TimedOut: true, Connected: false);

    private static PortProbeSignal Submission(string target) => new(target, $"smtp:mx.{target}.test:587", 587, TimedOut: false, Connected: true);
}
