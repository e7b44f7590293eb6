using System.Text.RegularExpressions;
using MailHealth.Testing;

namespace MailHealth.Core.Tests.Suite;

/// <summary>
/// The guard for a rule that no clock can check: a test that meets the peers takes its time from
/// now (<see cref="TestClock"/>) or from the peers' own material, never from a calendar date. The
/// peers make certificates, DNSSEC signatures and policies when they start, so a date written into
/// such a test passes on the day it was written and fails on every fresh clone after (libfaketime
/// cannot run the peers, so moving the clock is no everyday guard either).
/// </summary>
public sealed partial class PeerClockRuleTests
{
    // What a test file names when it meets the peers: their addresses and harnesses, or a mail,
    // web or storage peer that answers with material it made at start.
    private static readonly string[] PeerMarkers =
    [
        "Peers.", "PeerStorage", "RecursivePeer", "AzuriteProcess", "MonitorHarness", "ServeHarness",
        "FunctionsHarness", "ApiHost", "DashboardHost", "SeededDashboard", "NotificationServices",
    ];

    [Fact]
    public void TestsThatMeetThePeers_NameNoCalendarDate()
    {
        var offenders = new List<string>();
        foreach (var file in TestSources())
        {
            var text = File.ReadAllText(file);
            if (!PeerMarkers.Any(m => text.Contains(m, StringComparison.Ordinal)))
            {
                continue;
            }

            offenders.AddRange(CalendarDate().Matches(text).Select(m =>
                $"{Path.GetRelativePath(Peers.RepoRoot, file)}:{LineOf(text, m.Index)}: {m.Value}"));
        }

        Assert.True(offenders.Count == 0, "take the clock from TestClock, not a calendar date:\n" + string.Join("\n", offenders));
    }

    [Theory]
    [InlineData("new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 0, 0, 0, TimeSpan.Zero))")]
    [InlineData("private static readonly DateTimeOffset Start = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);")]
    [InlineData("DateTimeOffset.Parse(\"2026-11-29T12:00:00Z\", CultureInfo.InvariantCulture)")]
    [InlineData("new DateTime(2027, 1, 1)")]
    public void CalendarDate_FindsTheWaysATestWritesADate(string line) => Assert.Matches(CalendarDate(), line);

    [Theory]
    [InlineData("new FakeTimeProvider(TestClock.Start)")]
    [InlineData("TestClock.Yesterday.AddMinutes(5 * index)")]
    [InlineData("new(2048, 10, 20)")] // three small numbers that are no year, month and day of a clock
    public void CalendarDate_LeavesOtherNumbersAlone(string line) => Assert.DoesNotMatch(CalendarDate(), line);

    private static IEnumerable<string> TestSources() =>
        Directory.EnumerateFiles(Path.Combine(Peers.RepoRoot, "tests"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && Path.GetFileName(f) != nameof(PeerClockRuleTests) + ".cs");

    private static int LineOf(string text, int index) => text.AsSpan(0, index).Count('\n') + 1;

    // new DateTimeOffset(2026, ...), new DateTime(2026, ...), target-typed new(2026, 11, ...), and
    // Parse("2026-...") / ParseExact("2026-...").
    [GeneratedRegex("""new\s*(DateTimeOffset|DateTime)\s*\(\s*20\d\d\s*,|new\s*\(\s*20\d\d\s*,\s*\d{1,2}\s*,\s*\d{1,2}\s*,|Parse(Exact)?\(\s*"20\d\d-""")]
    private static partial Regex CalendarDate();
}
