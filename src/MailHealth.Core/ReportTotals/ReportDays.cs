namespace MailHealth.ReportTotals;

/// <summary>
/// How a report's range is spread over UTC days: in proportion to the time it covers on each, so
/// a report of 48 hours counts half its messages on each day and daily figures show no spike. A
/// range ending exactly at midnight does not touch the day after; an empty range counts whole on
/// the day it starts.
/// </summary>
public static class ReportDays
{
    /// <summary>Each day the range covers, with its share; the shares add up to 1.</summary>
    public static IReadOnlyList<DayShare> Spread(DateTimeOffset begin, DateTimeOffset end)
    {
        var start = begin.UtcDateTime;
        var stop = end.UtcDateTime;
        if (stop <= start)
        {
            return [new DayShare(DateOnly.FromDateTime(start), 1)];
        }

        var total = (stop - start).Ticks;
        var shares = new List<DayShare>();
        var remaining = 1.0;
        for (var day = start.Date; day < stop; day = day.AddDays(1))
        {
            var from = day > start ? day : start;
            var to = day.AddDays(1) < stop ? day.AddDays(1) : stop;
            shares.Add(new DayShare(DateOnly.FromDateTime(day), (double)(to - from).Ticks / total));
        }

        // The last day takes what is left, so the shares add up to exactly 1.
        for (var i = 0; i < shares.Count - 1; i++)
        {
            remaining -= shares[i].Share;
        }

        shares[^1] = shares[^1] with { Share = remaining };
        return shares;
    }

    /// <summary>How many days <see cref="Spread"/> gives for the range, without listing them.</summary>
    public static int Count(DateTimeOffset begin, DateTimeOffset end)
    {
        var start = begin.UtcDateTime;
        var stop = end.UtcDateTime;
        if (stop <= start)
        {
            return 1;
        }

        var lastDay = stop.TimeOfDay == TimeSpan.Zero ? stop.Date.AddDays(-1) : stop.Date;
        return (int)(lastDay - start.Date).TotalDays + 1;
    }
}
