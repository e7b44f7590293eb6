using System.Globalization;
using MailHealth.Dns;
using MailHealth.Targets;
using Microsoft.AspNetCore.Http;

namespace MailHealth.Monitor.Api;

/// <summary>
/// Reads a request's route id and query string strictly, collecting every problem with its field:
/// an unknown parameter, a repeated one, a number out of range, a time that is not ISO-8601 or a
/// range that ends before it starts are all refused, never guessed at or ignored.
/// </summary>
public sealed class ApiQuery
{
    /// <summary>Most items a page may hold.</summary>
    public const int MaxLimit = 1000;

    /// <summary>Longest query value read (a continuation token is the longest legitimate one).</summary>
    public const int MaxValueLength = 4096;

    // The Functions host takes a key from ?code=; serve accepts it the same way.
    private const string KeyParameter = "code";

    // Times before this are not monitoring history; after the upper bound they are typos.
    private static readonly DateTimeOffset Earliest = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Latest = new(3000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly string[] TimeFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd",
    ];

    private readonly IQueryCollection _query;
    private readonly List<KeyValuePair<string, string>> _errors = [];

    private ApiQuery(IQueryCollection query) => _query = query;

    /// <summary>The problem to answer with, once everything was read; null when all is well.</summary>
    public IResult? Problem => _errors.Count == 0 ? null : ApiProblem.BadRequest(_errors);

    /// <summary>Starts reading <paramref name="request"/>'s query; any parameter not in <paramref name="allowed"/> is an error.</summary>
    public static ApiQuery Of(HttpRequest request, params string[] allowed)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = new ApiQuery(request.Query);
        foreach (var (name, values) in request.Query)
        {
            if (name == KeyParameter)
            {
                continue;
            }

            if (!allowed.Contains(name, StringComparer.Ordinal))
            {
                query.Error(Shorten(name), allowed.Length == 0
                    ? "is not a parameter of this route (it takes none)"
                    : $"is not a parameter of this route (it takes {string.Join(", ", allowed)})");
            }
            else if (values.Count > 1)
            {
                query.Error(name, "is given more than once");
            }
        }

        return query;
    }

    public void Error(string field, string message) => _errors.Add(new(field, message));

    /// <summary>A target id from the route or a parameter: the target id rules (a slug), checked before any storage key is built from it.</summary>
    public string TargetId(string? id, string field = "id")
    {
        var problem = id is null ? "is required" : TargetValidator.IdProblem(id);
        if (problem is not null)
        {
            Error(field, problem);
            return string.Empty;
        }

        return id!;
    }

    /// <summary>A report input's id from the route: the SHA-256 of its bytes, 64 lower-case hex digits.</summary>
    public string InputId(string? id, string field = "id")
    {
        if (!Storage.ReceiverReports.ReportBlobStore.IsInputId(id))
        {
            Error(field, $"'{Shorten(id ?? "")}' is not an input id (64 lower-case hex digits: the SHA-256 of the input's bytes)");
            return string.Empty;
        }

        return id!;
    }

    public string? Text(string name)
    {
        var value = Single(name);
        if (value is null)
        {
            return null;
        }

        if (value.Length == 0)
        {
            Error(name, "is empty");
            return null;
        }

        if (value.Length > MaxValueLength || value.Any(char.IsControl))
        {
            Error(name, value.Length > MaxValueLength ? $"is longer than {MaxValueLength} characters" : "has control characters");
            return null;
        }

        return value;
    }

    /// <summary><c>limit</c>: 1-<see cref="MaxLimit"/>, <paramref name="fallback"/> when absent.</summary>
    public int Limit(int fallback)
    {
        var value = Single("limit");
        if (value is null)
        {
            return fallback;
        }

        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) || limit < 1 || limit > MaxLimit)
        {
            Error("limit", $"'{Shorten(value)}' is not a whole number in 1-{MaxLimit}");
            return fallback;
        }

        return limit;
    }

    /// <summary><c>from</c> and <c>to</c>: ISO-8601 with a zone (<c>2026-11-28T14:05:00Z</c>) or a date (midnight UTC), from not after to.</summary>
    public (DateTimeOffset? From, DateTimeOffset? To) TimeRange()
    {
        var from = Time("from");
        var to = Time("to");
        if (from is { } f && to is { } t && f > t)
        {
            Error("to", "is before from");
        }

        return (from, to);
    }

    /// <summary>
    /// <c>from</c> and <c>to</c> as days (<c>2026-11-28</c>, both included): absent, the
    /// <paramref name="defaultDays"/> days up to <paramref name="today"/> (or ending at <c>to</c>,
    /// or starting at <c>from</c>); a range longer than <paramref name="maxDays"/> days, or ending
    /// before it starts, is refused.
    /// </summary>
    public (DateOnly From, DateOnly To) DayRange(DateOnly today, int defaultDays, int maxDays)
    {
        var from = Day("from");
        var to = Day("to");
        var end = to ?? (from is { } start ? start.AddDays(defaultDays - 1) : today);
        var begin = from ?? end.AddDays(1 - defaultDays);
        if (begin > end)
        {
            Error("to", "is before from");
        }
        else if (end.DayNumber - begin.DayNumber + 1 > maxDays)
        {
            Error("to", $"is more than {maxDays} days after from: ask for at most {maxDays} days at once");
        }

        return (begin, end);
    }

    /// <summary>
    /// <c>from</c> and <c>to</c> as times (as <see cref="TimeRange"/>): absent, the
    /// <paramref name="defaultSpan"/> up to <paramref name="now"/>; a range longer than <paramref name="maxSpan"/> is refused.
    /// </summary>
    public (DateTimeOffset From, DateTimeOffset To) BoundedTimeRange(DateTimeOffset now, TimeSpan defaultSpan, TimeSpan maxSpan)
    {
        var (from, to) = TimeRange();
        var end = to ?? (from is { } start && start + defaultSpan < now ? start + defaultSpan : now);
        var begin = from ?? end - defaultSpan;
        if (end - begin > maxSpan)
        {
            Error("to", $"is more than {maxSpan.TotalDays:0} days after from: ask for at most {maxSpan.TotalDays:0} days at once");
        }

        return (begin, end);
    }

    /// <summary>A domain name (IDNA, as a target's), in its lower-case ASCII form; null when absent.</summary>
    public string? Domain(string name)
    {
        var value = Text(name);
        if (value is null)
        {
            return null;
        }

        if (!DomainName.TryParse(value, out var domain, out var problem))
        {
            Error(name, Shorten(problem));
            return null;
        }

        return domain.Ascii;
    }

    /// <summary>One of <paramref name="choices"/> (exact, lower case), <paramref name="fallback"/> when absent.</summary>
    public string Choice(string name, string fallback, params string[] choices)
    {
        var value = Single(name);
        if (value is null)
        {
            return fallback;
        }

        if (!choices.Contains(value, StringComparer.Ordinal))
        {
            Error(name, $"'{Shorten(value)}' is not one of {string.Join(", ", choices)}");
            return fallback;
        }

        return value;
    }

    private DateTimeOffset? Time(string name)
    {
        var value = Single(name);
        if (value is null)
        {
            return null;
        }

        // A time of day without a zone is ambiguous: refused rather than guessed to be UTC.
        var timeOfDay = value.IndexOf('T', StringComparison.Ordinal);
        var zoned = timeOfDay < 0 || value.EndsWith('Z') || value.AsSpan(timeOfDay).IndexOfAny('+', '-') >= 0;
        if (!zoned || !DateTimeOffset.TryParseExact(value, TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            Error(name, $"'{Shorten(value)}' is not an ISO-8601 time with a zone, such as 2026-11-28T14:05:00Z, or a date");
            return null;
        }

        if (time < Earliest || time >= Latest)
        {
            Error(name, $"'{Shorten(value)}' is not between {Earliest:yyyy} and {Latest:yyyy}");
            return null;
        }

        return time;
    }

    /// <summary>A day, <c>yyyy-MM-dd</c>, in the years times are taken from.</summary>
    private DateOnly? Day(string name)
    {
        var value = Single(name);
        if (value is null)
        {
            return null;
        }

        if (!DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            Error(name, $"'{Shorten(value)}' is not a day such as 2026-11-28");
            return null;
        }

        if (day.Year < Earliest.Year || day.Year >= Latest.Year)
        {
            Error(name, $"'{Shorten(value)}' is not between {Earliest:yyyy} and {Latest:yyyy}");
            return null;
        }

        return day;
    }

    private string? Single(string name) => _query.TryGetValue(name, out var values) && values.Count == 1 ? values[0] : null;

    /// <summary>Enough of a caller's value to recognize it, never a whole huge one in a response.</summary>
    public static string Shorten(string value)
    {
        var shown = new string([.. value.Take(64).Select(c => char.IsControl(c) ? '?' : c)]);
        return value.Length <= 64 ? shown : shown + "...";
    }
}
