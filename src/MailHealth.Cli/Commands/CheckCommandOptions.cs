using System.CommandLine;

namespace MailHealth.Cli.Commands;

/// <summary>The argument and options of <c>mailhealth check</c>, with their help, and what a parse gave for them.</summary>
internal sealed class CheckCommandOptions
{
    public Argument<string[]> Domains { get; } = new("DOMAIN")
    {
        Description = "Mail domains to check (Unicode or punycode); several are checked concurrently.",
        Arity = ArgumentArity.ZeroOrMore,
    };

    public Option<string?> TargetsFile { get; } = new("--targets")
    {
        Description = "JSON file of targets: { \"targets\": [ { \"id\", \"domain\", \"hosts\", \"ports\", ... } ] } (the HTTP API's target objects).",
        HelpName = "FILE",
    };

    public Option<int?> Concurrency { get; } = new("--concurrency")
    {
        Description = "Targets checked at once (1-1024); default 16.",
        HelpName = "N",
    };

    public Option<string[]> Hosts { get; } = new("--host")
    {
        Description = "Probe this host instead of the domain's MX hosts; repeatable.",
        HelpName = "HOST",
        Arity = ArgumentArity.ZeroOrMore,
    };

    public Option<string> Ports { get; } = new("--ports")
    {
        Description = "Ports to probe, comma separated: 25 (smtp), 587 (submission), 465 (submissions); another port names its role, as in 2525:smtp.",
        HelpName = "PORT[:ROLE],...",
    };

    public Option<string[]> DkimSelectors { get; } = new("--dkim-selector")
    {
        Description = "DKIM selector to check; repeatable. Default: the common selectors are tried, and what is found is reported for information.",
        HelpName = "SELECTOR",
        Arity = ArgumentArity.ZeroOrMore,
    };

    public Option<string?> BimiSelector { get; } = new("--bimi-selector")
    {
        Description = "A BIMI selector to check besides 'default' (the BIMI-Selector header of the domain's mail).",
        HelpName = "SELECTOR",
    };

    public Option<string[]> SendingIps { get; } = new("--sending-ip")
    {
        Description = "Outbound IP to test against SPF and blocklists; repeatable. Default: the mail hosts' addresses.",
        HelpName = "IP",
        Arity = ArgumentArity.ZeroOrMore,
    };

    public Option<string?> Checks { get; } = new("--checks")
    {
        Description = "Run only these checks, comma separated: mx, smtp, spf, dkim, dmarc, mta-sts, tls-rpt, dnssec, dane, bimi, ptr, dnsbl. Default: every check.",
        HelpName = "KIND,...",
    };

    public Option<string[]> Dns { get; } = CommonOptions.Dns();

    public Option<string[]> Dnsbl { get; } = new("--dnsbl")
    {
        Description = "DNS blocklist zone to query instead of the default set; repeatable.",
        HelpName = "ZONE",
        Arity = ArgumentArity.ZeroOrMore,
    };

    public Option<string?> CaFile { get; } = new("--ca-file")
    {
        Description = "PEM file of extra trusted root certificates (for SMTP, the MTA-STS policy host and the BIMI logo host).",
        HelpName = "PEM",
    };

    public Option<bool> RelayTest { get; } = new("--relay-test")
    {
        Description = "Also test for an open relay: MAIL FROM a probe address, RCPT TO a foreign domain, expect a 5xx. Sends no message.",
    };

    public Option<bool> Json { get; } = JsonOption();

    public Option<int> Timeout { get; } = new("--timeout")
    {
        Description = "Deadline of each probe in seconds (stages get at most this); default 60.",
        HelpName = "SECONDS",
        DefaultValueFactory = _ => 60,
    };

    public Option<string[]> AllowNetworks { get; } = new("--allow-network")
    {
        Description = "Let the checker connect to this special-purpose network (loopback, private-use, CGNAT, unique-local...), "
            + "which it refuses by default; repeatable. Link-local and the cloud metadata addresses are never allowed.",
        HelpName = "CIDR",
        Arity = ArgumentArity.ZeroOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    /// <summary>Adds the argument and every option to <paramref name="command"/>, in help order.</summary>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Add(Domains);
        foreach (var option in new Option[] { TargetsFile, Concurrency, Hosts, Ports, DkimSelectors, BimiSelector, SendingIps, Checks, Dns, Dnsbl, CaFile, RelayTest, Json, Timeout, AllowNetworks })
        {
            command.Add(option);
        }
    }

    /// <summary>What the user typed.</summary>
    public CheckInput Read(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return new CheckInput(
            parse.GetValue(Domains) ?? [],
            parse.GetValue(TargetsFile),
            parse.GetValue(Concurrency),
            parse.GetValue(Hosts) ?? [],
            parse.GetValue(Ports),
            parse.GetValue(DkimSelectors) ?? [],
            parse.GetValue(BimiSelector),
            parse.GetValue(SendingIps) ?? [],
            parse.GetValue(Checks),
            parse.GetValue(Dns) ?? [],
            parse.GetValue(Dnsbl),
            parse.GetValue(CaFile),
            parse.GetValue(RelayTest),
            parse.GetValue(Timeout),
            parse.GetValue(AllowNetworks) ?? []);
    }

    private static Option<bool> JsonOption()
    {
        var json = CommonOptions.Json();
        json.Description = "Print each report as one line of JSON (JSON Lines), as it finishes.";
        return json;
    }
}
