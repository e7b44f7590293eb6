using MailHealth.Dns;
using MailHealth.Monitor;
using MailHealth.Smtp;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MailHealth.Monitor.Tests.Composition;

/// <summary>
/// The monitor never lets what one cycle's targets share and nobody else keeps (a probe, an
/// authoritative server's answer) reach into the next cycle; a caching resolver's answers live for their TTL.
/// </summary>
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
    [InlineData(null, null, 3600, 150)]          // defaults: a resolver's answers for their TTL up to 1 h, an authority's half of 5 min
    [InlineData(null, "00:01:00", 3600, 30)]     // the demo's one-minute cycle
    [InlineData("00:00:10", "00:01:00", 10, 10)]
    public void SharedDnsAnswers_FromAnAuthority_AreKeptAtMostHalfTheInterval(string? maximumCacheAge, string? interval, int cacheSeconds, int authoritativeSeconds)
    {
        using var services = Monitor(("MailHealth:Dns:MaximumCacheAge", maximumCacheAge), ("MailHealth:Monitor:Interval", interval));

        var resolver = services.GetRequiredService<DnsResolver>();
        Assert.True(resolver.Options.UseCache);
        Assert.Equal(TimeSpan.FromSeconds(cacheSeconds), resolver.Options.MaximumCacheAge);
        Assert.Equal(TimeSpan.FromSeconds(authoritativeSeconds), resolver.Options.MaximumAuthoritativeAge);
    }

    /// <summary>The monitor as a host composes it, with these settings (a null value: left to its default).</summary>
    private static ServiceProvider Monitor(params (string Key, string? Value)[] settings) =>
        new ServiceCollection()
            .AddMailHealthMonitor(new ConfigurationBuilder()
                .AddInMemoryCollection(settings.Where(s => s.Value is not null).Select(s => KeyValuePair.Create(s.Key, s.Value)))
                .Build())
            .BuildServiceProvider();
}
