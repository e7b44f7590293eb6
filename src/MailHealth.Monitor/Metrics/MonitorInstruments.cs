using System.Diagnostics.Metrics;
using MailHealth.Checks;

namespace MailHealth.Monitor.Metrics;

/// <summary>
/// What this process did, as .NET metrics (System.Diagnostics.Metrics) that any exporter can read:
/// <c>serve</c> exports them to Prometheus, the Functions app to its telemetry. One meter per
/// service provider (its <see cref="Meter.Scope"/> is this object), so two hosts in one test
/// process do not count each other's runs.
/// </summary>
public sealed class MonitorInstruments : IDisposable
{
    public const string MeterName = "MailHealth.Monitor";

    private readonly Counter<long> runs;
    private readonly Histogram<double> runDuration;
    private readonly Counter<long> slotsLost;

    public MonitorInstruments()
    {
        Meter = new Meter(new MeterOptions(MeterName) { Scope = this });
        runs = Meter.CreateCounter<long>("mailhealth.runs", "{run}", "Runs stored by this process, by overall status.");
        runDuration = Meter.CreateHistogram<double>("mailhealth.run.duration", "s", "Time from a run's start to its stored result.");
        slotsLost = Meter.CreateCounter<long>("mailhealth.schedule.slots_lost", "{slot}", "Schedule slots whose tick in this process storage failed.");
    }

    public Meter Meter { get; }

    /// <summary>One run stored, with its overall status and how long its checks took.</summary>
    public void RunStored(CheckStatus status, TimeSpan duration)
    {
        var tag = new KeyValuePair<string, object?>("status", status.ToString().ToLowerInvariant());
        runs.Add(1, tag);
        runDuration.Record(Math.Max(0, duration.TotalSeconds), tag);
    }

    /// <summary>A schedule slot whose tick storage failed.</summary>
    public void SlotLost() => slotsLost.Add(1);

    public void Dispose() => Meter.Dispose();
}
