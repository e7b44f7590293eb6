using System.CommandLine;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MailHealth.Checks;
using MailHealth.Cli.Rendering;
using MailHealth.Dns;
using MailHealth.Reports;
using MailHealth.Targets;

namespace MailHealth.Cli.Commands;

/// <summary><c>mailhealth check DOMAIN</c>: every check once, a report, exit 1 on a critical finding.</summary>
public static class CheckCommand
{
    /// <summary>Environment variables with credentials for the authenticated-submission test.</summary>
    public const string UserNameVariable = "MAILHEALTH_SMTP_USERNAME";
    public const string PasswordVariable = "MAILHEALTH_SMTP_PASSWORD";

    public static Command Create(TextWriter output, TimeProvider time)
    {
        var domain = new Argument<string>("DOMAIN") { Description = "The mail domain to check (Unicode or punycode)." };
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
            DefaultValueFactory = _ => "25,587,465",
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
            Description = "PEM file of extra trusted root certificates (for SMTP and the MTA-STS policy host).",
            HelpName = "PEM",
        };
        var relayTest = new Option<bool>("--relay-test")
        {
            Description = "Also test for an open relay: MAIL FROM a probe address, RCPT TO a foreign domain, expect a 5xx. Sends no message.",
        };
        var json = CommonOptions.Json();
        var timeout = new Option<int>("--timeout")
        {
            Description = "Deadline of each probe in seconds (stages get at most this); default 60.",
            HelpName = "SECONDS",
            DefaultValueFactory = _ => 60,
        };

        var command = new Command("check", "Run every check of a domain once and print the report. Exit 0: no critical finding; 1: a critical finding; 2: bad usage.")
        {
            domain, hosts, ports, selectors, bimiSelector, sendingIps, dns, dnsbl, caFile, relayTest, json, timeout,
        };

        command.SetAction(async (parse, cancellationToken) =>
        {
            var input = new CheckInput(
                parse.GetValue(domain)!,
                parse.GetValue(hosts) ?? [],
                parse.GetValue(ports)!,
                parse.GetValue(selectors) ?? [],
                parse.GetValue(sendingIps) ?? [],
                parse.GetValue(dns) ?? [],
                parse.GetValue(dnsbl),
                parse.GetValue(caFile),
                parse.GetValue(relayTest),
                parse.GetValue(timeout));
            var (target, options, resolverOptions) = Build(input);
            target = target with { BimiSelector = parse.GetValue(bimiSelector) is { } bimi ? ParseSelector(bimi, "--bimi-selector") : null };

            // One domain: a blanket port-25 timeout while submission connects is already the egress
            // signature, so the analysis needs only this target (the monitor asks for two).
            var run = new MonitorRun(CheckSuite.CreateChecker(time));
            var reports = await run.RunAsync([target], new DnsResolver(resolverOptions), options, egressMinimumTargets: 1, cancellationToken).ConfigureAwait(false);
            var report = reports[0];

            if (parse.GetValue(json))
            {
                await output.WriteLineAsync(ReportJson.Serialize(report)).ConfigureAwait(false);
            }
            else
            {
                ReportRenderer.Write(report, output);
            }

            return report.HasCritical ? ExitCodes.Critical : ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>What the user typed, before validation.</summary>
    public sealed record CheckInput(
        string Domain,
        IReadOnlyList<string> Hosts,
        string Ports,
        IReadOnlyList<string> DkimSelectors,
        IReadOnlyList<string> SendingIps,
        IReadOnlyList<string> Dns,
        IReadOnlyList<string>? Dnsbl,
        string? CaFile,
        bool RelayTest,
        int TimeoutSeconds);

    /// <summary>Validates the input; anything wrong is a <see cref="UsageException"/> naming the option.</summary>
    public static (Target Target, CheckOptions Options, DnsResolverOptions Resolver) Build(CheckInput input)
    {
        if (!DomainName.TryParse(input.Domain, out var name, out var error))
        {
            throw new UsageException(error);
        }

        if (input.TimeoutSeconds is < 1 or > 600)
        {
            throw new UsageException($"--timeout {input.TimeoutSeconds} is out of range (1-600 seconds)");
        }

        var target = new Target
        {
            Id = name.Ascii.Replace('.', '-'),
            Domain = name.Ascii,
            DisplayDomain = name.Unicode,
            Hosts = [.. input.Hosts.Select(ParseHost)],
            Ports = ParsePorts(input.Ports),
            DkimSelectors = [.. input.DkimSelectors.Select(s => ParseSelector(s))],
            SendingIps = [.. input.SendingIps.Select(ip => CommonOptions.ParseIp(ip, "--sending-ip"))],
            DnsblZones = input.Dnsbl is { Count: > 0 } zones ? [.. zones.Select(z => ParseDomain(z, "--dnsbl"))] : null,
            RelayTest = input.RelayTest,
            Credentials = CredentialsFromEnvironment(),
        };

        var timeout = TimeSpan.FromSeconds(input.TimeoutSeconds);
        var defaults = new CheckOptions();
        var options = new CheckOptions
        {
            ProbeDeadline = timeout,
            ConnectTimeout = Min(defaults.ConnectTimeout, timeout),
            GreetingTimeout = Min(defaults.GreetingTimeout, timeout),
            CommandTimeout = Min(defaults.CommandTimeout, timeout),
            TlsTimeout = Min(defaults.TlsTimeout, timeout),
            MtaStsPolicyTimeout = Min(defaults.MtaStsPolicyTimeout, timeout),
            RunDeadline = timeout * 3,
            ExtraTrustRoots = LoadRoots(input.CaFile),
        };
        var resolver = new DnsResolverOptions { Servers = CommonOptions.ParseDnsServers(input.Dns) };
        return (target, options, resolver);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static IReadOnlyList<PortSpec> ParsePorts(string text)
    {
        var specs = new List<PortSpec>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!PortSpec.TryParse(part, out var spec, out var error))
            {
                throw new UsageException($"--ports: {error}");
            }

            if (specs.Any(s => s.Port == spec.Value.Port))
            {
                throw new UsageException($"--ports: port {spec.Value.Port} is given twice");
            }

            specs.Add(spec.Value);
        }

        return specs;
    }

    private static string ParseHost(string text)
    {
        // Strictly an address, or else a name: "1.2.3" must not become the address 1.2.0.3.
        return CommonOptions.TryParseIp(text, out var address) ? address.ToString() : ParseDomain(text, "--host");
    }

    private static string ParseDomain(string text, string option) =>
        DomainName.TryParse(text, out var name, out var error) ? name.Ascii : throw new UsageException($"{option}: {error}");

    private static string ParseSelector(string text, string option = "--dkim-selector")
    {
        // RFC 6376 section 3.1: a selector is one or more sub-domain labels.
        var labels = text.Split('.');
        if (text.Length == 0 || labels.Any(l => l.Length is 0 or > 63 || !l.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
        {
            throw new UsageException($"{option} '{text}' is not a valid selector");
        }

        return text.ToLowerInvariant();
    }

    private static X509Certificate2Collection LoadRoots(string? path)
    {
        var roots = new X509Certificate2Collection();
        if (path is null)
        {
            return roots;
        }

        try
        {
            roots.ImportFromPemFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new UsageException($"--ca-file: cannot read certificates from '{path}': {e.Message}");
        }

        if (roots.Count == 0)
        {
            throw new UsageException($"--ca-file: '{path}' holds no PEM certificate");
        }

        return roots;
    }

    private static SmtpCredentials? CredentialsFromEnvironment()
    {
        var user = Environment.GetEnvironmentVariable(UserNameVariable);
        var password = Environment.GetEnvironmentVariable(PasswordVariable);
        return string.IsNullOrEmpty(user) || password is null ? null : new SmtpCredentials(user, password);
    }
}
