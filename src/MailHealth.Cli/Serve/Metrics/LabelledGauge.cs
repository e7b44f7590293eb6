using Prometheus;

namespace MailHealth.Cli.Serve.Metrics;

/// <summary>
/// A gauge rewritten whole at each refresh: label sets not set in a round are removed at its end,
/// so a deleted target or a check that no longer runs leaves the exposition instead of lingering
/// with its last value.
/// </summary>
internal sealed class LabelledGauge(Gauge gauge)
{
    private readonly HashSet<string> seen = new(StringComparer.Ordinal);

    public void BeginRound() => seen.Clear();

    public void Set(double value, params string[] labels)
    {
        gauge.WithLabels(labels).Set(value);
        seen.Add(Key(labels));
    }

    public void EndRound()
    {
        foreach (var labels in gauge.GetAllLabelValues().ToList())
        {
            if (!seen.Contains(Key(labels)))
            {
                gauge.RemoveLabelled(labels);
            }
        }
    }

    // Label values cannot hold U+0000 in a useful exposition, so it separates them unambiguously.
    private static string Key(string[] labels) => string.Join('\0', labels);
}
