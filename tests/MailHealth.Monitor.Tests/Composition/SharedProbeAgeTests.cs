using MailHealth.Dns;
using MailHealth.Monitor;
using MailHealth.Smtp;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MailHealth.Monitor.Tests.Composition;

/// <summary>The monitor never lets what one cycle's targets share (a probe, a DNS answer) reach into the next cycle.</summary>
public sealed class SharedProbeAgeTests
{
    [Theory]
    [InlineData(null, null, 60)]           // defaults: 1 min shared, 5 min cycles
    [InlineData(null, "00:01:00", 30)]     // the demo's one-minute cycle: half of it
    [InlineData("00:00:20", "00:01:00", 20)]
    [InlineData("00:00:00", "00:05:00", 0)] // sharing turned off stays off
    public void SharedProbes_AreKeptAtMostHalfTheInterval(string? shareProbesFor, string? interval, int expectedSeconds)
    {
        using var services = Monitor(("MailHealth:Checks:ShareProbesFor", shareProbesFor), ("MailHealth:Monitor:Interval", interval));

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), services.GetRequiredService<SharedProbes>().MaximumAge);
    }

    [Theory]
    [InlineData(null, null, 60)]           // defaults: answers shared for 1 min, 5 min cycles
    [InlineData(null, "00:01:00", 30)]     // the demo's one-minute cycle: half of it
    [InlineData("00:00:10", "00:01:00", 10)]
    public void SharedDnsAnswers_AreKeptAtMostHalfTheInterval(string? maximumCacheAge, string? interval, int expectedSeconds)
    {
        using var services = Monitor(("MailHealth:Dns:MaximumCacheAge", maximumCacheAge), ("MailHealth:Monitor:Interval", interval));

        var resolver = services.GetRequiredService<DnsResolver>();
        Assert.True(resolver.Options.UseCache);
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), resolver.Options.MaximumCacheAge);
    }

    /// <summary>The monitor as a host composes it, with these settings (a null value: left to its default).</summary>
    private static ServiceProvider Monitor(params (string Key, string? Value)[] settings) =>
        new ServiceCollection()
            .AddMailHealthMonitor(new ConfigurationBuilder()
                .AddInMemoryCollection(settings.Where(s => s.Value is not null).Select(s => KeyValuePair.Create(s.Key, s.Value)))
                .Build())
            .BuildServiceProvider();
}
