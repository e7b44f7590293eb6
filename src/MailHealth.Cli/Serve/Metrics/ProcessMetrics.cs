using System.Diagnostics.Metrics;
using MailHealth.Monitor.Metrics;
using Prometheus;

namespace MailHealth.Cli.Serve.Metrics;

/// <summary>
/// What this process did, from the monitor's .NET instruments (<see cref="MonitorInstruments"/>)
/// to Prometheus counters and a histogram. These are per process, as counters are in Prometheus:
/// <c>sum(rate(mailhealth_runs_total[5m]))</c> adds the processes up.
/// </summary>
public sealed class ProcessMetrics : IDisposable
{
    private readonly MeterListener listener = new();
    private readonly Counter runs;
    private readonly Histogram runDuration;
    private readonly Counter scheduleTicks;
    private readonly Counter slotsLost;

    public ProcessMetrics(CollectorRegistry registry, MonitorInstruments instruments)
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        runs = factory.CreateCounter("mailhealth_runs_total", "Runs this process stored, by overall status.", "status");
        runDuration = factory.CreateHistogram("mailhealth_run_duration_seconds", "How long the runs this process stored took.", new HistogramConfiguration
        {
            LabelNames = ["status"],
            Buckets = [0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 180],
        });
        scheduleTicks = factory.CreateCounter("mailhealth_schedule_ticks_total", "Schedule occurrences this process handled, by job and outcome.", "job", "outcome");
        slotsLost = factory.CreateCounter("mailhealth_schedule_slots_lost_total", "Schedule slots whose tick in this process storage failed (none of their probes, or not all, were queued).");

        // Only this host's meter: another host in the same process (tests) has its own.
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, instruments))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (instrument.Name == "mailhealth.runs")
            {
                runs.WithLabels(StatusOf(tags)).Inc(value);
            }
            else if (instrument.Name == "mailhealth.schedule.slots_lost")
            {
                slotsLost.Inc(value);
            }
        });
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
        {
            if (instrument.Name == "mailhealth.run.duration")
            {
                runDuration.WithLabels(StatusOf(tags)).Observe(value);
            }
        });
        listener.Start();
    }

    /// <summary>One occurrence of a scheduled job, done or failed.</summary>
    public void Ticked(string job, bool succeeded) => scheduleTicks.WithLabels(job, succeeded ? "ok" : "failed").Inc();

    public void Dispose() => listener.Dispose();

    private static string StatusOf(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == "status")
            {
                return tag.Value?.ToString() ?? "";
            }
        }

        return "";
    }
}
