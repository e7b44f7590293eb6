namespace MailHealth.Testing;

/// <summary>
/// Where a test that meets the peers takes its clock from: the moment this test process started,
/// never a calendar date. The peers make their certificates, DNSSEC signatures and MTA-STS policies
/// when they start, so a clock fixed on the day a test was written sees that material as "not yet
/// valid" from the next day on, on every fresh clone. <c>PeerClockRuleTests</c> keeps calendar
/// dates out of the tests that meet the peers.
/// </summary>
public static class TestClock
{
    /// <summary>Now, as this process started, cut to the whole second (the stored form of a time).</summary>
    public static DateTimeOffset Start { get; } = Truncate(TimeProvider.System.GetUtcNow(), TimeSpan.FromSeconds(1));

    /// <summary>Midnight UTC of the day before <see cref="Start"/>: a day whose schedule slots are all in the past.</summary>
    public static DateTimeOffset Yesterday { get; } = Truncate(Start, TimeSpan.FromDays(1)).AddDays(-1);

    /// <summary>A time in the form the API's query parameters take (<c>2026-12-06T00:05:00Z</c>).</summary>
    public static string Query(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static DateTimeOffset Truncate(DateTimeOffset time, TimeSpan unit) =>
        new(time.UtcTicks - (time.UtcTicks % unit.Ticks), TimeSpan.Zero);
}
