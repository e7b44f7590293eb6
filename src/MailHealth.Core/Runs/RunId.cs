using System.Globalization;

namespace MailHealth.Runs;

/// <summary>
/// A run's identity: the target and the schedule slot it belongs to. Deterministic, so a queue
/// message delivered twice (or retried after a crash) rewrites the same run instead of adding a
/// second one. The text form sorts chronologically: <c>20261129T1605Z</c>.
/// </summary>
public readonly record struct RunId(string TargetId, DateTimeOffset Slot)
{
    public const string SlotFormat = "yyyyMMdd'T'HHmmss'Z'";

    /// <summary>The slot as text, UTC, second precision: the part of a storage key that orders runs.</summary>
    public string SlotText => Slot.UtcDateTime.ToString(SlotFormat, CultureInfo.InvariantCulture);

    public override string ToString() => $"{TargetId}/{SlotText}";

    /// <summary>The start of the schedule slot that <paramref name="time"/> falls in, for a schedule of fixed <paramref name="interval"/> from the Unix epoch.</summary>
    public static DateTimeOffset SlotOf(DateTimeOffset time, TimeSpan interval)
    {
        if (interval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(interval), interval, "the interval must be positive");
        }

        var utc = time.ToUniversalTime();
        var ticks = utc.Ticks - (utc.Ticks - DateTimeOffset.UnixEpoch.Ticks) % interval.Ticks;
        return new DateTimeOffset(ticks, TimeSpan.Zero);
    }

    public static bool TryParseSlot(string text, out DateTimeOffset slot) =>
        DateTimeOffset.TryParseExact(text, SlotFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out slot);
}
