using MailHealth.Checks;
using MailHealth.Composition;
using MailHealth.Reports;
using MailHealth.Targets;
using MailHealth.Testing;
using MailHealth.Testing.Dns;
using MailHealth.Testing.Servers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MailHealth.Core.Tests.Checks;

/// <summary>
/// A domain's DNS work runs beside its SMTP probe, never before or after it (issue 17): shown with
/// a DNS server that holds chosen answers and an SMTP server that holds its greeting, by what each
/// server sees while the other waits, never by a clock.
/// </summary>
public sealed class RunOverlapTests
{
    private const string Domain = "overlap.test";
    private const string MailHost = "mx1.overlap.test";
    private const string Selector = "sel";
    private const string PtrName = "1.0.0.127.in-addr.arpa";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private static ScriptedZone Zone() => new ScriptedZone()
        .Add(Domain, ScriptedRecord.Mx(10, MailHost))
        .Add(Domain, ScriptedRecord.Txt("v=spf1 ip4:127.0.0.1 -all"))
        .Add(MailHost, ScriptedRecord.A("127.0.0.1"))
        .Add("_dmarc." + Domain, ScriptedRecord.Txt("v=DMARC1; p=reject"))
        .Add($"{Selector}._domainkey.{Domain}", ScriptedRecord.Txt("v=DKIM1; k=ed25519; p=kvWf7F6g6nIg207gUeRPXAkozTfbU2hZAX4QcUvPQl8="))
        .Add(PtrName, ScriptedRecord.Ptr(MailHost));

    private static Target Target(GatedSmtpServer smtp) => Peers.Target(Domain, t => t with
    {
        Ports = [.. smtp.Ports.Select(p => new PortSpec(p, SmtpRole.Smtp))],
        DkimSelectors = [Selector],
        DnsblZones = ["bl.overlap.test"],
    });

    // Held answers must outlast the resolver's patience and the probe's wait for its greeting.
    private static DomainChecker Checker(ScriptedDnsServer dns, int maxConcurrency = 8) =>
        Peers.Checker(dns.Resolver(TimeSpan.FromSeconds(30)), Peers.PatientOptions(maxConcurrency));

    [Fact]
    public async Task Probe_ReachesTheServer_WhileTheDomainsOwnAnswersAreHeld()
    {
        await using var dns = ScriptedDnsServer.Start(Zone());
        await using var smtp = new GatedSmtpServer();
        smtp.Open();
        dns.Hold(Domain, ScriptedRecord.TypeTxt);
        dns.Hold("_dmarc." + Domain, ScriptedRecord.TypeTxt);
        dns.Hold($"{Selector}._domainkey.{Domain}", ScriptedRecord.TypeTxt);
        dns.Hold(PtrName, ScriptedRecord.TypePtr);

        var run = Checker(dns).RunAsync(Target(smtp), CancellationToken.None);

        // The SPF question is out and unanswered, and the probe is already at the server.
        await dns.Asked(Domain, ScriptedRecord.TypeTxt).WaitAsync(Bound);
        await smtp.ConnectionsAsync(1).WaitAsync(Bound);
        Assert.False(run.IsCompleted);
        dns.ReleaseAll();
        var report = await run.WaitAsync(Bound);

        Assert.Equal(CheckStatus.Pass, Check(report, "spf").Status);
        Assert.Equal(CheckStatus.Pass, Check(report, $"dkim:{Selector}").Status);
        Greeted(Check(report, $"smtp:{MailHost}:{smtp.Ports[0]}"));
    }

    [Fact]
    public async Task DnsWork_GoesOn_WhileEveryProbeWaitsForItsGreeting()
    {
        await using var dns = ScriptedDnsServer.Start(Zone());
        // Two probes and two slots for the run: the probes alone fill its connection bound.
        await using var smtp = new GatedSmtpServer(ports: 2);

        var run = Checker(dns, maxConcurrency: 2).RunAsync(Target(smtp), CancellationToken.None);

        await smtp.ConnectionsAsync(2).WaitAsync(Bound);
        // Asked while both probes wait for their greeting: the reverse DNS and the blocklist
        // questions, which wait for the mail hosts (as the probes do), did not wait for the probes.
        await dns.Asked(PtrName, ScriptedRecord.TypePtr).WaitAsync(Bound);
        await dns.Asked("2.0.0.127.bl.overlap.test", ScriptedRecord.TypeA).WaitAsync(Bound);
        await dns.Asked($"{Selector}._domainkey.{Domain}", ScriptedRecord.TypeTxt).WaitAsync(Bound);
        await dns.Asked("_dmarc." + Domain, ScriptedRecord.TypeTxt).WaitAsync(Bound);
        Assert.False(run.IsCompleted);
        smtp.Open();
        var report = await run.WaitAsync(Bound);

        Assert.Equal(["127.0.0.1"], report.Checks.Where(c => c.Kind == "ptr").Select(c => c.Subject));
        Assert.Equal(2, report.Checks.Count(c => c.Kind == "smtp"));
        Assert.All(report.Checks.Where(c => c.Kind == "smtp"), Greeted);
    }

    // The probe's conversation happened: the greeting is in its evidence (the server offers no STARTTLS, a warning).
    private static void Greeted(CheckResult smtp)
    {
        Assert.NotEqual(CheckStatus.Error, smtp.Status);
        Assert.Contains(Assert.IsType<List<string>>(smtp.Evidence["greeting"]), line => line.Contains("gated.smtp.test", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DnsQuestions_DoNotWaitForTheProcessWideConnectionBound()
    {
        await using var dns = ScriptedDnsServer.Start(Zone());
        await using var smtp = new GatedSmtpServer(ports: 2);
        // One connection at once in the whole process: the second probe waits for the first,
        // and the questions, which have a bound of their own, do not.
        using var services = new ServiceCollection()
            .AddMailHealthChecks(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["MailHealth:Network:MaxConcurrency"] = "1",
                ["MailHealth:Dns:Servers:0"] = dns.EndPoint.ToString(),
                ["MailHealth:Dns:Timeout"] = "00:00:30",
                ["MailHealth:Dns:Retries"] = "0",
                ["MailHealth:Checks:GreetingTimeout"] = "00:00:30",
                ["MailHealth:Checks:AllowedNetworks:0"] = "127.0.0.0/8",
            }).Build())
            .BuildServiceProvider();

        var run = services.GetRequiredService<DomainChecker>().RunAsync(Target(smtp), CancellationToken.None);

        await smtp.ConnectionsAsync(1).WaitAsync(Bound);
        await dns.Asked(PtrName, ScriptedRecord.TypePtr).WaitAsync(Bound);
        await dns.Asked("2.0.0.127.bl.overlap.test", ScriptedRecord.TypeA).WaitAsync(Bound);
        Assert.Equal(1, smtp.Connections);
        smtp.Open();
        var report = await run.WaitAsync(Bound);

        Assert.Equal(2, report.Checks.Count(c => c.Kind == "smtp"));
        Assert.All(report.Checks.Where(c => c.Kind == "smtp"), Greeted);
    }

    private static CheckResult Check(Report report, string id) => Assert.Single(report.Checks, c => c.Id == id);
}
