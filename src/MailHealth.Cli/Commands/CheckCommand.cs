using System.CommandLine;
using System.Globalization;
using MailHealth.Checks;
using MailHealth.Cli.Rendering;
using MailHealth.Composition;
using MailHealth.Dns;
using MailHealth.Egress;
using MailHealth.Fleet;
using MailHealth.Reports;
using MailHealth.Targets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MailHealth.Cli.Commands;

/// <summary>
/// <c>mailhealth check DOMAIN... | --targets FILE</c>: every check of every target once, each
/// report printed as it finishes; exit 1 when any target has a critical finding.
/// </summary>
public static class CheckCommand
{
    /// <summary>Environment variables with credentials for the authenticated-submission test.</summary>
    public const string UserNameVariable = "MAILHEALTH_SMTP_USERNAME";
    public const string PasswordVariable = "MAILHEALTH_SMTP_PASSWORD";

    /// <summary>The options of one target, by their name in a target definition, for messages.</summary>
    private static readonly Dictionary<string, string> OptionOfField = new(StringComparer.Ordinal)
    {
        ["hosts"] = "--host",
        ["ports"] = "--ports",
        ["dkimSelectors"] = "--dkim-selector",
        ["bimiSelector"] = "--bimi-selector",
        ["sendingIps"] = "--sending-ip",
        ["dnsbl"] = "--dnsbl",
    };

    public static Command Create(TextWriter output, TextWriter error, bool errorIsTerminal, TimeProvider time)
    {
        var domains = new Argument<string[]>("DOMAIN")
        {
            Description = "Mail domains to check (Unicode or punycode); several are checked concurrently.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var targetsFile = new Option<string?>("--targets")
        {
            Description = "JSON file of targets: { \"targets\": [ { \"id\", \"domain\", \"hosts\", \"ports\", ... } ] } (the HTTP API's target objects).",
            HelpName = "FILE",
        };
        var concurrency = new Option<int?>("--concurrency")
        {
            Description = "Targets checked at once (1-1024); default 16.",
            HelpName = "N",
        };
        var hosts = new Option<string[]>("--host")
        {
            Description = "Probe this host instead of the domain's MX hosts; repeatable.",
            HelpName = "HOST",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var ports = new Option<string>("--ports")
        {
            Description = "Ports to probe, comma separated: 25 (smtp), 587 (submission), 465 (submissions); another port names its role, as in 2525:smtp.",
            HelpName = "PORT[:ROLE],...",
        };
        var selectors = new Option<string[]>("--dkim-selector")
        {
            Description = "DKIM selector to check; repeatable. Default: a few common selectors are tried, for information.",
            HelpName = "SELECTOR",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var bimiSelector = new Option<string?>("--bimi-selector")
        {
            Description = "A BIMI selector to check besides 'default' (the BIMI-Selector header of the domain's mail).",
            HelpName = "SELECTOR",
        };
        var sendingIps = new Option<string[]>("--sending-ip")
        {
            Description = "Outbound IP to test against SPF and blocklists; repeatable. Default: the mail hosts' addresses.",
            HelpName = "IP",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var dns = CommonOptions.Dns();
        var dnsbl = new Option<string[]>("--dnsbl")
        {
            Description = "DNS blocklist zone to query instead of the default set; repeatable.",
            HelpName = "ZONE",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var caFile = new Option<string?>("--ca-file")
        {
            Description = "PEM file of extra trusted root certificates (for SMTP, the MTA-STS policy host and the BIMI logo host).",
            HelpName = "PEM",
        };
        var relayTest = new Option<bool>("--relay-test")
        {
            Description = "Also test for an open relay: MAIL FROM a probe address, RCPT TO a foreign domain, expect a 5xx. Sends no message.",
        };
        var json = CommonOptions.Json();
        json.Description = "Print each report as one line of JSON (JSON Lines), as it finishes.";
        var timeout = new Option<int>("--timeout")
        {
            Description = "Deadline of each probe in seconds (stages get at most this); default 60.",
            HelpName = "SECONDS",
            DefaultValueFactory = _ => 60,
        };

        var command = new Command("check", "Run every check of one or more domains once and print the reports. Exit 0: no critical finding; 1: a critical finding; 2: bad usage.")
        {
            domains, targetsFile, concurrency, hosts, ports, selectors, bimiSelector, sendingIps, dns, dnsbl, caFile, relayTest, json, timeout,
        };

        command.SetAction(async (parse, cancellationToken) =>
        {
            var input = new CheckInput(
                parse.GetValue(domains) ?? [],
                parse.GetValue(targetsFile),
                parse.GetValue(concurrency),
                parse.GetValue(hosts) ?? [],
                parse.GetValue(ports),
                parse.GetValue(selectors) ?? [],
                parse.GetValue(bimiSelector),
                parse.GetValue(sendingIps) ?? [],
                parse.GetValue(dns) ?? [],
                parse.GetValue(dnsbl),
                parse.GetValue(caFile),
                parse.GetValue(relayTest),
                parse.GetValue(timeout));
            var targets = await ReadTargetsAsync(input, cancellationToken).ConfigureAwait(false);
            await using var services = BuildServices(input, time);
            var fleet = services.GetRequiredService<FleetRunner>();

            // One domain: a blanket port-25 timeout while submission connects is already the egress
            // signature, so the analysis needs only this target (a fleet asks for two).
            var egress = new EgressSignalWindow(time, TimeSpan.FromDays(1));
            var minimumTargets = targets.Count == 1 ? 1 : EgressAnalysis.DefaultMinimumTargets;
            var writer = new FleetWriter(output, error, parse.GetValue(json), targets.Count, errorIsTerminal);
            await foreach (var report in fleet.RunAsync(targets, egress, minimumTargets, input.Concurrency, cancellationToken).ConfigureAwait(false))
            {
                await writer.WriteAsync(report).ConfigureAwait(false);
            }

            await writer.FinishAsync().ConfigureAwait(false);
            return writer.AnyCritical ? ExitCodes.Critical : ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>What the user typed, before validation.</summary>
    public sealed record CheckInput(
        IReadOnlyList<string> Domains,
        string? TargetsFile,
        int? Concurrency,
        IReadOnlyList<string> Hosts,
        string? Ports,
        IReadOnlyList<string> DkimSelectors,
        string? BimiSelector,
        IReadOnlyList<string> SendingIps,
        IReadOnlyList<string> Dns,
        IReadOnlyList<string>? Dnsbl,
        string? CaFile,
        bool RelayTest,
        int TimeoutSeconds);

    /// <summary>The targets: one per DOMAIN (with the per-target options), then those of the file.</summary>
    public static async Task<IReadOnlyList<Target>> ReadTargetsAsync(CheckInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Domains.Count == 0 && input.TargetsFile is null)
        {
            throw new UsageException("give one or more domains, or --targets FILE");
        }

        var perTargetGiven = input.Hosts.Count > 0 || input.Ports is not null || input.DkimSelectors.Count > 0 || input.BimiSelector is not null
            || input.SendingIps.Count > 0 || input.Dnsbl is { Count: > 0 } || input.RelayTest;
        if (input.Domains.Count == 0 && perTargetGiven)
        {
            throw new UsageException("--host, --ports, --dkim-selector, --bimi-selector, --sending-ip, --dnsbl and --relay-test apply to DOMAIN arguments; in --targets FILE each target carries its own");
        }

        var targets = new List<Target>();
        foreach (var domain in input.Domains)
        {
            targets.Add(FromOptions(domain, input));
        }

        if (input.TargetsFile is { } path)
        {
            string json;
            try
            {
                json = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new UsageException($"--targets: cannot read '{path}': {e.Message}");
            }

            var list = TargetList.Parse(json);
            if (!list.IsValid)
            {
                throw new UsageException($"--targets {path}: " + string.Join("; ", list.Errors.Take(5)) + (list.Errors.Count > 5 ? $"; and {list.Errors.Count - 5} more" : ""));
            }

            targets.AddRange(list.Targets);
        }

        var credentials = CredentialsFromEnvironment();
        var duplicate = targets.GroupBy(t => t.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new UsageException($"the target id '{duplicate.Key}' is given twice");
        }

        return [.. targets.Select(t => t with { Credentials = credentials })];
    }

    private static Target FromOptions(string domain, CheckInput input)
    {
        var definition = new TargetDefinition
        {
            Domain = domain,
            Hosts = [.. input.Hosts],
            Ports = input.Ports is null ? null : [.. input.Ports.Split(',', StringSplitOptions.TrimEntries)],
            DkimSelectors = [.. input.DkimSelectors],
            BimiSelector = input.BimiSelector,
            SendingIps = [.. input.SendingIps],
            Dnsbl = input.Dnsbl is { Count: > 0 } zones ? [.. zones] : null,
            RelayTest = input.RelayTest,
        };
        var validation = TargetValidator.Validate(definition);
        if (validation.Target is { } target)
        {
            return target;
        }

        var first = validation.Errors[0];
        throw new UsageException(OptionOfField.TryGetValue(first.Field, out var option) ? $"{option}: {first.Message}" : first.Message);
    }

    /// <summary>
    /// The checker as a host composes it, its settings from the options (the same names as in a
    /// configuration file), validated before anything runs.
    /// </summary>
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

        var timeout = TimeSpan.FromSeconds(input.TimeoutSeconds);
        var defaults = new CheckOptions();
        var settings = new Dictionary<string, string?>
        {
            [$"{CheckOptions.Section}:{nameof(CheckOptions.ProbeDeadline)}"] = Show(timeout),
            [$"{CheckOptions.Section}:{nameof(CheckOptions.ConnectTimeout)}"] = Show(Min(defaults.ConnectTimeout, timeout)),
            [$"{CheckOptions.Section}:{nameof(CheckOptions.GreetingTimeout)}"] = Show(Min(defaults.GreetingTimeout, timeout)),
            [$"{CheckOptions.Section}:{nameof(CheckOptions.CommandTimeout)}"] = Show(Min(defaults.CommandTimeout, timeout)),
            [$"{CheckOptions.Section}:{nameof(CheckOptions.TlsTimeout)}"] = Show(Min(defaults.TlsTimeout, timeout)),
            [$"{CheckOptions.Section}:{nameof(CheckOptions.MtaStsPolicyTimeout)}"] = Show(Min(defaults.MtaStsPolicyTimeout, timeout)),
            [$"{CheckOptions.Section}:{nameof(CheckOptions.RunDeadline)}"] = Show(timeout * 3),
            [$"{CheckOptions.Section}:{nameof(CheckOptions.TrustRootsFile)}"] = input.CaFile,
        };
        for (var i = 0; i < input.Dns.Count; i++)
        {
            settings[$"{DnsSettings.Section}:{nameof(DnsSettings.Servers)}:{i}"] = input.Dns[i];
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
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

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static string Show(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);

    private static SmtpCredentials? CredentialsFromEnvironment()
    {
        var user = Environment.GetEnvironmentVariable(UserNameVariable);
        var password = Environment.GetEnvironmentVariable(PasswordVariable);
        return string.IsNullOrEmpty(user) || password is null ? null : new SmtpCredentials(user, password);
    }
}
