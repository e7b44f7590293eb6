using MailHealth.Cli.Serve.Metrics;
using Prometheus;

namespace MailHealth.Cli.Tests.Serve;

public sealed class LabelledGaugeTests
{
    [Fact]
    public void EndRound_RemovesTheSeriesNotSetInTheRound_AndKeepsTheOthersWithTheirNewValues()
    {
        var registry = Prometheus.Metrics.NewCustomRegistry();
        var gauge = Prometheus.Metrics.WithCustomRegistry(registry).CreateGauge("test_status", "test", "target", "check");
        var labelled = new LabelledGauge(gauge);

        labelled.BeginRound();
        labelled.Set(1, "a", "smtp");
        labelled.Set(2, "b", "smtp");
        labelled.Set(3, "b", "spf");
        labelled.EndRound();
        labelled.BeginRound();
        labelled.Set(4, "b", "smtp");
        labelled.EndRound();

        Assert.Equal([["b", "smtp"]], gauge.GetAllLabelValues().ToArray());
        Assert.Equal(4, gauge.WithLabels("b", "smtp").Value);
    }

    [Fact]
    public void EndRound_ARoundThatSetsNothing_RemovesEverySeries()
    {
        var gauge = Prometheus.Metrics.WithCustomRegistry(Prometheus.Metrics.NewCustomRegistry()).CreateGauge("test_info", "test", "target");
        var labelled = new LabelledGauge(gauge);
        labelled.BeginRound();
        labelled.Set(1, "a");
        labelled.EndRound();

        labelled.BeginRound();
        labelled.EndRound();

        Assert.Empty(gauge.GetAllLabelValues());
    }
}
