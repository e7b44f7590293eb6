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
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["MailHealth:Checks:ShareProbesFor"] = shareProbesFor,
            ["MailHealth:Monitor:Interval"] = interval,
        }.Where(p => p.Value is not null)).Build();
        using var services = new ServiceCollection().AddMailHealthMonitor(configuration).BuildServiceProvider();

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), services.GetRequiredService<SharedProbes>().MaximumAge);
    }

    [Theory]
    [InlineData(null, null, 60)]           // defaults: answers shared for 1 min, 5 min cycles
    [InlineData(null, "00:01:00", 30)]     // the demo's one-minute cycle: half of it
    [InlineData("00:00:10", "00:01:00", 10)]
    public void SharedDnsAnswers_AreKeptAtMostHalfTheInterval(string? maximumCacheAge, string? interval, int expectedSeconds)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["MailHealth:Dns:MaximumCacheAge"] = maximumCacheAge,
            ["MailHealth:Monitor:Interval"] = interval,
        }.Where(p => p.Value is not null)).Build();
        using var services = new ServiceCollection().AddMailHealthMonitor(configuration).BuildServiceProvider();

        var resolver = services.GetRequiredService<DnsResolver>();
        Assert.True(resolver.Options.UseCache);
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), resolver.Options.MaximumCacheAge);
    }
}
