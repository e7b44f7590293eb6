using System.Globalization;

namespace MailHealth.Storage.Keys;

/// <summary>
/// Row keys that sort newest first: the service returns a partition in ascending RowKey order,
/// so a key of (max ticks - ticks), zero-padded to 19 digits, puts the latest time first and
/// turns "from..to" into one contiguous key range.
/// </summary>
public static class ReverseTime
{
    public const int Length = 19;

    public static string Key(DateTimeOffset time) =>
        (DateTimeOffset.MaxValue.UtcTicks - time.UtcTicks).ToString("D19", CultureInfo.InvariantCulture);

    public static bool TryParse(string key, out DateTimeOffset time)
    {
        time = default;
        if (key.Length < Length || !long.TryParse(key.AsSpan(0, Length), NumberStyles.None, CultureInfo.InvariantCulture, out var inverted))
        {
            return false;
        }

        var ticks = DateTimeOffset.MaxValue.UtcTicks - inverted;
        if (ticks < DateTimeOffset.MinValue.UtcTicks)
        {
            return false;
        }

        time = new DateTimeOffset(ticks, TimeSpan.Zero);
        return true;
    }
}
