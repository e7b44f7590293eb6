using System.Net;
using MailHealth.Checks;
using MailHealth.Composition;
using MailHealth.Dns;
using MailHealth.Fleet;
using MailHealth.Network;
using MailHealth.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MailHealth.Core.Tests.Composition;

/// <summary>Settings bind from MailHealth:..., and a bad value stops start-up naming its path.</summary>
public sealed class CheckSettingsTests
{
    private static ServiceProvider Build(params (string Key, string Value)[] settings) =>
        new ServiceCollection()
            .AddMailHealthChecks(new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build())
            .BuildServiceProvider();

    private static string StartupError(params (string Key, string Value)[] settings)
    {
        using var services = Build(settings);
        var error = Assert.ThrowsAny<Exception>(() => services.GetRequiredService<IStartupValidator>().Validate());
        return error is OptionsValidationException validation ? string.Join("; ", validation.Failures) : error.Message;
    }

    [Fact]
    public void Defaults_AreValidAndBound()
    {
        using var services = Build();
        services.GetRequiredService<IStartupValidator>().Validate();

        Assert.Equal(8, services.GetRequiredService<IOptions<CheckOptions>>().Value.MaxConcurrency);
        Assert.Equal(NetworkLimiter.DefaultMaxConcurrency, services.GetRequiredService<NetworkLimiter>().MaxConcurrency);
        Assert.Same(services.GetRequiredService<DnsResolver>(), services.GetRequiredService<DnsResolver>());
        Assert.Equal(12, services.GetRequiredService<DomainChecker>().Checks.Count);
    }

    [Fact]
    public void Settings_FromConfiguration_AreUsed()
    {
        using var services = Build(
            ("MailHealth:Checks:MaxConcurrency", "3"),
            ("MailHealth:Checks:ProbeDeadline", "00:00:20"),
            ("MailHealth:Dns:Servers:0", "127.0.0.1:5353"),
            ("MailHealth:Dns:MaximumCacheAge", "00:00:30"),
            ("MailHealth:Network:MaxConcurrency", "12"),
            ("MailHealth:Fleet:MaxConcurrentTargets", "5"));
        services.GetRequiredService<IStartupValidator>().Validate();

        Assert.Equal(3, services.GetRequiredService<IOptions<CheckOptions>>().Value.MaxConcurrency);
        Assert.Equal(TimeSpan.FromSeconds(20), services.GetRequiredService<IOptions<CheckOptions>>().Value.ProbeDeadline);
        var resolver = services.GetRequiredService<DnsResolver>().Options;
        Assert.Equal("127.0.0.1:5353", Assert.Single(resolver.Servers).ToString());
        Assert.Equal(TimeSpan.FromSeconds(30), resolver.MaximumCacheAge);
        Assert.Equal(12, services.GetRequiredService<NetworkLimiter>().MaxConcurrency);
        Assert.Equal(5, services.GetRequiredService<IOptions<FleetSettings>>().Value.MaxConcurrentTargets);
    }

    [Theory]
    [InlineData("MailHealth:Checks:MaxConcurrency", "0", "MailHealth:Checks:MaxConcurrency: 0 is not in 1-1024")]
    [InlineData("MailHealth:Checks:ConnectTimeout", "00:30:00", "MailHealth:Checks:ConnectTimeout: 00:30:00 is not in")]
    [InlineData("MailHealth:Checks:ShareProbesFor", "00:20:00", "MailHealth:Checks:ShareProbesFor: 00:20:00 is not in 00:00:00-00:10:00")]
    [InlineData("MailHealth:Checks:CertificateWarningDays", "3", "MailHealth:Checks:CertificateWarningDays: 3 is less than CertificateCriticalDays (7)")]
    [InlineData("MailHealth:Checks:TrustRootsFile", "/nonexistent/roots.pem", "MailHealth:Checks:TrustRootsFile: cannot read certificates")]
    [InlineData("MailHealth:Dns:Servers:0", "10", "MailHealth:Dns:Servers:0: '10' is not an IP address or IP:PORT")]
    [InlineData("MailHealth:Dns:Servers:0", "1.2.3", "MailHealth:Dns:Servers:0: '1.2.3' is not")]
    [InlineData("MailHealth:Dns:Servers:0", "127.0.0.1:0", "MailHealth:Dns:Servers:0")]
    [InlineData("MailHealth:Dns:Retries", "9", "MailHealth:Dns:Retries: 9 is not in 0-5")]
    [InlineData("MailHealth:Dns:MaximumCacheAge", "2.00:00:00", "MailHealth:Dns:MaximumCacheAge: 2.00:00:00 is not in")]
    [InlineData("MailHealth:Dns:CacheCapacity", "-1", "MailHealth:Dns:CacheCapacity: -1 is not in 0-10000000")]
    [InlineData("MailHealth:Network:MaxConcurrency", "0", "MailHealth:Network:MaxConcurrency: 0 is not in 1-4096")]
    [InlineData("MailHealth:Network:MaxDnsQueries", "5000", "MailHealth:Network:MaxDnsQueries: 5000 is not in 1-4096")]
    [InlineData("MailHealth:Fleet:MaxConcurrentTargets", "5000", "MailHealth:Fleet:MaxConcurrentTargets: 5000 is not in 1-1024")]
    [InlineData("MailHealth:Checks:AllowedNetworks:0", "169.254.0.0/16", "MailHealth:Checks:AllowedNetworks:0: '169.254.0.0/16' lies in link-local (169.254.0.0/16, RFC 3927), which is never connected to, whatever the settings say")]
    [InlineData("MailHealth:Checks:AllowedNetworks:0", "168.63.129.16/32", "MailHealth:Checks:AllowedNetworks:0: '168.63.129.16/32' lies in Azure platform address")]
    [InlineData("MailHealth:Checks:AllowedNetworks:0", "10.0.0.5/8", "MailHealth:Checks:AllowedNetworks:0: '10.0.0.5/8' has host bits set after the /8 prefix: the network is 10.0.0.0/8")]
    [InlineData("MailHealth:Checks:AllowedNetworks:0", "10.0.0.0", "MailHealth:Checks:AllowedNetworks:0: '10.0.0.0' is not a network in CIDR notation")]
    [InlineData("MailHealth:Checks:MaxConcurency", "4", "MailHealth:Checks:MaxConcurency: not a setting")]
    [InlineData("MailHealth:Checks:ProbeDeadline", "soon", "MailHealth:Checks:ProbeDeadline")]
    public void BadSetting_StopsStartUp_NamingItsPath(string key, string value, string expected)
    {
        Assert.Contains(expected, StartupError((key, value)), StringComparison.Ordinal);
    }

    [Fact]
    public void AllowedNetworks_AreTheAddressPolicyOfEveryConnection()
    {
        using var services = Build(("MailHealth:Checks:AllowedNetworks:0", "10.0.0.0/8"), ("MailHealth:Checks:AllowedNetworks:1", "fd00::/8"));
        services.GetRequiredService<IStartupValidator>().Validate();

        var policy = services.GetRequiredService<AddressPolicy>();
        Assert.Same(services.GetRequiredService<IOptions<CheckOptions>>().Value.AddressPolicy, policy);
        Assert.Equal([IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("fd00::/8")], policy.AllowedNetworks);
        Assert.True(policy.Judge(IPAddress.Parse("10.0.0.5")).Permitted);
        Assert.False(policy.Judge(IPAddress.Parse("127.0.0.1")).Permitted);
    }

    [Fact]
    public void AllowedNetworks_DefaultNone()
    {
        using var services = Build();

        Assert.Empty(services.GetRequiredService<AddressPolicy>().AllowedNetworks);
    }

    [Fact]
    public void TrustRootsFile_IsLoaded()
    {
        using var services = Build(("MailHealth:Checks:TrustRootsFile", Peers.CaFile));
        services.GetRequiredService<IStartupValidator>().Validate();

        Assert.NotEmpty(services.GetRequiredService<IOptions<CheckOptions>>().Value.ExtraTrustRoots);
    }
}
