using System.Globalization;

namespace MailHealth.Monitor.Api;

/// <summary>
/// How long a caller may keep a read answer without asking again (<c>Cache-Control</c>, RFC 9111
/// section 5.2.2). Always <c>private</c>: answers are for callers with a key or a sign-in, and a
/// shared cache must never hand one caller's answer to another. What grows with every run (the
/// latest status, the fleet, the newest history, alerts, targets) is <c>no-cache</c>: kept, but
/// revalidated on each use, which costs a 304 and no storage read while the API's own cache holds
/// it. A history or event range that ended before the current cycle gets <c>max-age</c> of one
/// cycle: it changes only when a run arrives late for its slot (a queue backlog after an outage,
/// a poison message put back), a retried run rewrites its slot, or the retention purge removes
/// it. Nothing is <c>immutable</c>, since each of those can still happen to any stored range.
/// </summary>
public static class ReadFreshness
{
    /// <summary>Kept, and revalidated on every use.</summary>
    public const string Revalidate = "private, no-cache";

    /// <summary>For a range of runs or events ending at <paramref name="to"/> (none: up to now): kept a cycle when it ended before the current cycle began.</summary>
    public static string OfRange(DateTimeOffset? to, DateTimeOffset now, TimeSpan interval) =>
        to is { } end && end < now - interval
            ? string.Create(CultureInfo.InvariantCulture, $"private, max-age={(long)interval.TotalSeconds}")
            : Revalidate;
}
