using System.Globalization;
using MailHealth.Checks;
using MailHealth.Composition;
using MailHealth.Dns;
using MailHealth.Network;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MailHealth.Cli.Commands;

/// <summary>
/// The checker of <c>mailhealth check</c> as a host composes it, its settings from the options
/// (the same names as in a configuration file), validated before anything runs.
/// </summary>
public static class CheckComposition
{
    public static ServiceProvider BuildServices(CheckInput input, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.TimeoutSeconds is < 1 or > 600)
        {
            throw new UsageException($"--timeout {input.TimeoutSeconds} is out of range (1-600 seconds)");
        }

        if (input.Concurrency is < 1 or > 1024)
        {
            throw new UsageException($"--concurrency {input.Concurrency} is out of range (1-1024)");
        }

        // Checked here to name the option; the settings' validation would name the setting.
        _ = CommonOptions.ParseDnsServers(input.Dns);
        if (input.CaFile is { } caFile && CheckOptions.LoadRootsProblem(caFile, []) is { } problem)
        {
            throw new UsageException($"--ca-file: {problem}");
        }

        foreach (var network in input.AllowedNetworks)
        {
            if (AddressPolicy.NetworkProblem(network, out _) is { } networkProblem)
            {
                throw new UsageException($"--allow-network '{network}' {networkProblem}");
            }
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(Settings(input)).Build();
        var services = new ServiceCollection()
            .AddSingleton(time)
            .AddMailHealthChecks(configuration)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        try
        {
            services.GetRequiredService<IStartupValidator>().Validate();
        }
        catch (OptionsValidationException e)
        {
            services.Dispose();
            throw new UsageException(string.Join("; ", e.Failures));
        }

        return services;
    }

    /// <summary>The options as settings: one deadline for the probe, each stage's bounded by it.</summary>
    private static Dictionary<string, string?> Settings(CheckInput input)
    {
        var timeout = TimeSpan.FromSeconds(input.TimeoutSeconds);
        var defaults = new CheckOptions();
        var settings = new Dictionary<string, string?>
        {
            [Checks(nameof(CheckOptions.ProbeDeadline))] = Show(timeout),
            [Checks(nameof(CheckOptions.ConnectTimeout))] = Show(Min(defaults.ConnectTimeout, timeout)),
            [Checks(nameof(CheckOptions.GreetingTimeout))] = Show(Min(defaults.GreetingTimeout, timeout)),
            [Checks(nameof(CheckOptions.CommandTimeout))] = Show(Min(defaults.CommandTimeout, timeout)),
            [Checks(nameof(CheckOptions.TlsTimeout))] = Show(Min(defaults.TlsTimeout, timeout)),
            [Checks(nameof(CheckOptions.MtaStsPolicyTimeout))] = Show(Min(defaults.MtaStsPolicyTimeout, timeout)),
            [Checks(nameof(CheckOptions.RunDeadline))] = Show(timeout * 3),
            [Checks(nameof(CheckOptions.TrustRootsFile))] = input.CaFile,
        };
        for (var i = 0; i < input.AllowedNetworks.Count; i++)
        {
            settings[Checks($"{nameof(CheckOptions.AllowedNetworks)}:{i}")] = input.AllowedNetworks[i];
        }

        for (var i = 0; i < input.Dns.Count; i++)
        {
            settings[$"{DnsSettings.Section}:{nameof(DnsSettings.Servers)}:{i}"] = input.Dns[i];
        }

        return settings;
    }

    private static string Checks(string setting) => $"{CheckOptions.Section}:{setting}";

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static string Show(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);
}
