using Prometheus;

namespace MailHealth.Cli.Serve.Metrics;

/// <summary>
/// A gauge rewritten whole at each refresh: label sets not set in a round are removed at its end,
/// so a deleted target or a check that no longer runs leaves the exposition instead of lingering
/// with its last value.
/// </summary>
internal sealed class LabelledGauge(Gauge gauge)
{
    /// <summary>
    /// The children set this round, by identity (the gauge returns the same child for the same
    /// labels): a fleet of 1,500 targets has some 60,000 series, and a key string per series built
    /// each round and kept until the next was megabytes of the process's longest-lived memory.
    /// </summary>
    private readonly HashSet<Gauge.Child> seen = new(ReferenceEqualityComparer.Instance);

    public void BeginRound() => seen.Clear();

    public void Set(double value, params string[] labels)
    {
        var child = gauge.WithLabels(labels);
        child.Set(value);
        seen.Add(child);
    }

    public void EndRound()
    {
        foreach (var labels in gauge.GetAllLabelValues().ToList())
        {
            if (!seen.Contains(gauge.WithLabels(labels)))
            {
                gauge.RemoveLabelled(labels);
            }
        }

        seen.Clear();
    }
}
