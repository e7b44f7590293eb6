using System.Globalization;

namespace MailHealth.ReceiverReports;

/// <summary>
/// The warnings of one report, each said once: a deviation found in many records is one warning
/// with its count and its first example, so a report of 900,000 deviating rows carries a few lines,
/// not 900,000.
/// </summary>
public sealed class ReportWarnings
{
    /// <summary>Distinct warnings kept; further ones are only counted.</summary>
    public const int MaxDistinct = 50;

    private readonly Dictionary<string, Tally> _byMessage = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];
    private int _others;

    public int Count => _order.Count + (_others > 0 ? 1 : 0);

    /// <summary>A warning about the report as a whole (its metadata, its container).</summary>
    internal void Add(string message) => Note(message, example: null);

    /// <summary>
    /// A deviation in one record: <paramref name="message"/> names the kind (the same text for every
    /// record), <paramref name="example"/> the record and value of its first occurrence.
    /// </summary>
    internal void Note(string message, string? example)
    {
        if (_byMessage.TryGetValue(message, out var tally))
        {
            tally.Count++;
            return;
        }

        if (_order.Count >= MaxDistinct)
        {
            _others++;
            return;
        }

        _byMessage[message] = new Tally { Example = example };
        _order.Add(message);
    }

    /// <summary>Each warning as one line, in the order first seen.</summary>
    public IReadOnlyList<string> ToList()
    {
        var lines = new List<string>(Count);
        foreach (var message in _order)
        {
            var tally = _byMessage[message];
            lines.Add((tally.Count, tally.Example) switch
            {
                (1, null) => message,
                (1, { } example) => $"{message} ({example})",
                (var n, null) => string.Create(CultureInfo.InvariantCulture, $"{message} ({n} times)"),
                (var n, { } example) => string.Create(CultureInfo.InvariantCulture, $"{message} ({n} records; first: {example})"),
            });
        }

        if (_others > 0)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{_others} more warnings of other kinds"));
        }

        return lines;
    }

    private sealed class Tally
    {
        public int Count { get; set; } = 1;

        public string? Example { get; init; }
    }
}
