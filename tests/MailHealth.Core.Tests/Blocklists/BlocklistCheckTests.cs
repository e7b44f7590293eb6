using System.Net;
using MailHealth.Blocklists;
using MailHealth.Checks;
using MailHealth.Dns;
using MailHealth.Testing;
using MailHealth.Testing.Dns;

namespace MailHealth.Core.Tests.Blocklists;

/// <summary>
/// The dnsbl checks against rbldnsd (eng/peers/rbldnsd/), reached through the test resolver
/// (unbound, which follows Knot's delegations of the rep.test blocklist zones). Every test names its
/// zones: the default zones are public servers and are never asked.
/// </summary>
public sealed class BlocklistCheckTests
{
    /// <summary>The test zones that answer like Spamhaus ZEN and DBL, with those zones' code tables.</summary>
    private static readonly BlocklistCatalog Catalog = BlocklistCatalog.Default.With(
        BlocklistCatalog.Default.Find("zen.spamhaus.org") with { Name = "bl.rep.test" },
        BlocklistCatalog.Default.Find("zen.spamhaus.org") with { Name = "err.rep.test" },
        BlocklistCatalog.Default.Find("dbl.spamhaus.org") with { Name = "dbl.rep.test" });

    private static IPAddress Rep(int d) => Peers.Address(50, d);

    private static Task<IReadOnlyList<CheckResult>> RunAsync(
        string domain, IReadOnlyList<string> zones, IReadOnlyList<IPAddress>? ips = null, DnsResolver? dns = null, BlocklistCatalog? catalog = null) =>
        new BlocklistCheck(catalog ?? Catalog).RunAsync(
            Peers.Context(
                Peers.Target(domain, t => t with { DnsblZones = zones, SendingIps = ips ?? t.SendingIps }),
                dns: dns ?? RecursivePeer.Resolver()),
            CancellationToken.None);

    private static CheckResult Check(IReadOnlyList<CheckResult> results, string id) => Assert.Single(results, r => r.Id == id);

    private static IEnumerable<string> Codes(CheckResult result) => result.Findings.Select(f => f.Code);

    [Fact]
    public async Task Run_ListedIpv4_IsCriticalWithZoneCodeMeaningAndReason()
    {
        var results = await RunAsync("good.rep.test", ["bl.rep.test"], [Rep(10)]);

        var check = Check(results, $"dnsbl:{Rep(10)}");
        Assert.Equal("dnsbl", check.Kind);
        Assert.Equal(CheckStatus.Fail, check.Status);
        var finding = Assert.Single(check.Findings);
        Assert.Equal(BlocklistFindingCodes.Listed, finding.Code);
        Assert.Equal(Severity.Critical, finding.Severity);
        Assert.Equal(Rep(10).ToString(), finding.Subject);
        Assert.Equal("bl.rep.test", finding.Evidence!["zone"]);
        Assert.Equal(["127.0.0.2"], (IEnumerable<string>)finding.Evidence["returnCodes"]!);
        Assert.Contains("SBL", ((IEnumerable<string>)finding.Evidence["meanings"]!).Single(), StringComparison.Ordinal);
        Assert.Equal($"Spam sent from {Rep(10)} to our traps, see http://bl.rep.test/lookup?ip={Rep(10)}", finding.Evidence["reason"]);
        Assert.Equal($"10.50.{Peers.Net.Split('.')[1]}.127.bl.rep.test", finding.Evidence["query"]);
    }

    [Fact]
    public async Task Run_ListedWithAnotherCode_ReportsThatCodesMeaning()
    {
        var results = await RunAsync("good.rep.test", ["bl.rep.test"], [Rep(11), Rep(12)]);

        Assert.Contains("XBL", Check(results, $"dnsbl:{Rep(11)}").Findings.Single().Message, StringComparison.Ordinal);
        Assert.Contains("PBL", Check(results, $"dnsbl:{Rep(12)}").Findings.Single().Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_AddressNotListed_PassesWithoutFindings()
    {
        var results = await RunAsync("good.rep.test", ["bl.rep.test", "err.rep.test"], [Rep(1)]);

        var check = Check(results, $"dnsbl:{Rep(1)}");
        Assert.Equal(CheckStatus.Pass, check.Status);
        Assert.Empty(check.Findings);
        Assert.Equal(2, check.Metrics["zonesAsked"]);
        Assert.All(results, r => Assert.DoesNotContain(BlocklistFindingCodes.ZoneUnresponsive, Codes(r)));
        Assert.All(results, r => Assert.DoesNotContain(BlocklistFindingCodes.QueryRefused, Codes(r)));
    }

    [Fact]
    public async Task Run_ListedIpv6_IsAskedByNibblesAndReported()
    {
        var listed = IPAddress.Parse("2001:db8:50::10");
        var clean = IPAddress.Parse("2001:db8:50::11");

        var results = await RunAsync("good.rep.test", ["bl.rep.test"], [listed, clean]);

        var finding = Assert.Single(Check(results, $"dnsbl:{listed}").Findings);
        Assert.Equal(BlocklistFindingCodes.Listed, finding.Code);
        Assert.Equal("0.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.5.0.0.8.b.d.0.1.0.0.2.bl.rep.test", finding.Evidence!["query"]);
        Assert.Equal($"IPv6 spam source {listed}", finding.Evidence["reason"]);
        Assert.Empty(Check(results, $"dnsbl:{clean}").Findings);
        Assert.Empty(Check(results, "dnsbl-zone:bl.rep.test").Findings);
    }

    [Theory]
    [InlineData(20, "127.255.255.254")]
    [InlineData(21, "127.255.255.255")]
    [InlineData(22, "127.255.255.252")]
    public async Task Run_ErrorCodeAnswer_IsQueryRefusedNeverAListing(int host, string code)
    {
        var results = await RunAsync("good.rep.test", ["err.rep.test"], [Rep(host)]);

        var check = Check(results, $"dnsbl:{Rep(host)}");
        var finding = Assert.Single(check.Findings);
        Assert.Equal(BlocklistFindingCodes.QueryRefused, finding.Code);
        Assert.Equal(Severity.Info, finding.Severity);
        Assert.Equal([code], (IEnumerable<string>)finding.Evidence!["returnCodes"]!);
        Assert.Equal(CheckStatus.Pass, check.Status);
        Assert.DoesNotContain(results, r => Codes(r).Contains(BlocklistFindingCodes.Listed));
    }

    [Fact]
    public async Task Run_ZoneRefusingEverything_IsRefusedOnceAndNeverListed()
    {
        var results = await RunAsync("good.rep.test", ["refused.rep.test"], [Rep(10), Rep(1)], catalog: BlocklistCatalog.Default);

        var zone = Check(results, "dnsbl-zone:refused.rep.test");
        Assert.Equal([BlocklistFindingCodes.QueryRefused], Codes(zone));
        Assert.Equal(CheckStatus.Error, zone.Status);
        var ip = Check(results, $"dnsbl:{Rep(10)}");
        Assert.Empty(ip.Findings);
        Assert.Equal(CheckStatus.Error, ip.Status);
        Assert.Equal(["refused.rep.test"], (IEnumerable<string>)ip.Evidence["zonesSkipped"]!);
        Assert.DoesNotContain(results, r => Codes(r).Contains(BlocklistFindingCodes.Listed));
    }

    [Fact]
    public async Task Run_ZoneWithoutTestEntry_IsUnresponsiveAndItsListingsIgnored()
    {
        // broken.rep.test lists Rep(10) but not 127.0.0.2.
        var results = await RunAsync("good.rep.test", ["broken.rep.test", "bl.rep.test"], [Rep(1)]);

        var zone = Check(results, "dnsbl-zone:broken.rep.test");
        var finding = Assert.Single(zone.Findings);
        Assert.Equal(BlocklistFindingCodes.ZoneUnresponsive, finding.Code);
        Assert.Equal(Severity.Info, finding.Severity);
        Assert.Contains("does not list its test entry 127.0.0.2", finding.Message, StringComparison.Ordinal);
        var ip = Check(results, $"dnsbl:{Rep(1)}");
        Assert.Equal(["broken.rep.test"], (IEnumerable<string>)ip.Evidence["zonesSkipped"]!);
        Assert.Equal(CheckStatus.Pass, ip.Status);
    }

    [Fact]
    public async Task Run_ZoneListingEverything_IsUnresponsiveNotAListing()
    {
        var results = await RunAsync("good.rep.test", ["all.rep.test"], [Rep(1)], catalog: BlocklistCatalog.Default);

        var finding = Assert.Single(Check(results, "dnsbl-zone:all.rep.test").Findings);
        Assert.Equal(BlocklistFindingCodes.ZoneUnresponsive, finding.Code);
        Assert.Contains("answers everything", finding.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(results, r => Codes(r).Contains(BlocklistFindingCodes.Listed));
    }

    [Fact]
    public async Task Run_ZoneWhoseServerIsDead_EndsUnresponsive()
    {
        // dead.rep.test is delegated to a loopback address where nothing answers.
        var results = await RunAsync("good.rep.test", ["dead.rep.test", "bl.rep.test"], [Rep(10)]);

        var zone = Check(results, "dnsbl-zone:dead.rep.test");
        Assert.Equal([BlocklistFindingCodes.ZoneUnresponsive], Codes(zone));
        Assert.Equal(CheckStatus.Error, zone.Status);
        Assert.Equal([BlocklistFindingCodes.Listed], Codes(Check(results, $"dnsbl:{Rep(10)}")));
    }

    [Theory]
    [InlineData(DnsFault.Drop)]
    [InlineData(DnsFault.Garbage)]
    [InlineData(DnsFault.ShortReply)]
    public async Task Run_HostileServer_EndsUnresponsiveAskingOncePerZoneNotPerAddress(DnsFault fault)
    {
        await using var server = ScriptedDnsServer.Start(fault, Rep(200));
        var dns = server.Resolver(TimeSpan.FromSeconds(1));

        var results = await RunAsync("good.rep.test", ["bl.rep.test"], [Rep(10), Rep(11), Rep(12)], dns);

        var zone = Check(results, "dnsbl-zone:bl.rep.test");
        Assert.Equal([BlocklistFindingCodes.ZoneUnresponsive], Codes(zone));
        Assert.Equal(CheckStatus.Error, zone.Status);
        Assert.All(results.Where(r => r.Id.StartsWith("dnsbl:", StringComparison.Ordinal)), r =>
        {
            Assert.Equal(CheckStatus.Error, r.Status);
            Assert.Empty(r.Findings);
        });

        // The two test-entry questions (127.0.0.2 and 127.0.0.1), none for the three addresses. After a
        // broken UDP answer the resolver asks again over TCP, so each may arrive twice.
        Assert.InRange(server.Queries, 2, 4);
    }

    [Fact]
    public async Task Run_HealthyZoneThatDropsAQuestion_UnresponsiveOnThatAddressOnly()
    {
        // A flaky blocklist: its RFC 5782 section 5 IPv4 test entries answer correctly (127.0.0.2
        // listed, 127.0.0.1 NXDOMAIN); the question about the address is dropped.
        var zone = new ScriptedZone()
            .Add(BlocklistQuery.ForAddress(IPAddress.Parse("127.0.0.2"), "flaky.rep.test"), ScriptedRecord.A("127.0.0.2"))
            .Timeout(BlocklistQuery.ForAddress(Rep(10), "flaky.rep.test"));
        await using var flaky = ScriptedDnsServer.Start(zone, Rep(202));
        var dns = flaky.Resolver(TimeSpan.FromSeconds(1));

        var results = await RunAsync("good.rep.test", ["flaky.rep.test"], [Rep(10)], dns, BlocklistCatalog.Default.With(
            new BlocklistZone { Name = "flaky.rep.test", Kind = BlocklistKind.Ip }));

        Assert.Empty(Check(results, "dnsbl-zone:flaky.rep.test").Findings);
        var check = Check(results, $"dnsbl:{Rep(10)}");
        var finding = Assert.Single(check.Findings);
        Assert.Equal(BlocklistFindingCodes.ZoneUnresponsive, finding.Code);
        Assert.Equal("flaky.rep.test", finding.Subject);
        Assert.Equal(CheckStatus.Error, check.Status);
        Assert.DoesNotContain(BlocklistFindingCodes.Listed, Codes(check));
    }

    [Fact]
    public async Task Run_Ipv6AgainstIpv4OnlyZone_IsUnresponsiveForIpv6Only()
    {
        var v6 = IPAddress.Parse("2001:db8:50::10");

        var results = await RunAsync("good.rep.test", ["v4only.rep.test"], [v6, Rep(1)]);

        var finding = Assert.Single(Check(results, "dnsbl-zone:v4only.rep.test").Findings);
        Assert.Equal(BlocklistFindingCodes.ZoneUnresponsive, finding.Code);
        Assert.Equal("ipv6", finding.Evidence!["family"]);
        Assert.Equal(CheckStatus.Error, Check(results, $"dnsbl:{v6}").Status);
        Assert.Equal(CheckStatus.Pass, Check(results, $"dnsbl:{Rep(1)}").Status);
    }

    [Theory]
    [InlineData("spammy.rep.test", "127.0.1.2", "spam domain")]
    [InlineData("phishy.rep.test", "127.0.1.4", "phishing")]
    public async Task Run_ListedDomain_IsCriticalWithItsMeaning(string domain, string code, string meaning)
    {
        var results = await RunAsync(domain, ["dbl.rep.test"], [Rep(1)]);

        var check = Check(results, $"dnsbl:{domain}");
        var finding = Assert.Single(check.Findings);
        Assert.Equal(BlocklistFindingCodes.Listed, finding.Code);
        Assert.Equal(domain, finding.Subject);
        Assert.Equal($"{domain}.dbl.rep.test", finding.Evidence!["query"]);
        Assert.Equal([code], (IEnumerable<string>)finding.Evidence["returnCodes"]!);
        Assert.Contains(meaning, finding.Message, StringComparison.Ordinal);
        Assert.NotNull(finding.Evidence["reason"]);

        // A domain zone is not asked about addresses.
        Assert.DoesNotContain(results, r => r.Id == $"dnsbl:{Rep(1)}");
    }

    [Fact]
    public async Task Run_DomainNotListed_Passes()
    {
        var results = await RunAsync("good.rep.test", ["dbl.rep.test"], [Rep(1)]);

        var check = Check(results, "dnsbl:good.rep.test");
        Assert.Equal(CheckStatus.Pass, check.Status);
        Assert.Empty(check.Findings);
    }

    [Fact]
    public async Task Run_DomainListRefusal_IsQueryRefusedNotAListing()
    {
        var results = await RunAsync("refusedname.rep.test", ["dbl.rep.test"], [Rep(1)]);

        var finding = Assert.Single(Check(results, "dnsbl:refusedname.rep.test").Findings);
        Assert.Equal(BlocklistFindingCodes.QueryRefused, finding.Code);
        Assert.Equal(["127.0.1.255"], (IEnumerable<string>)finding.Evidence!["returnCodes"]!);
    }

    [Fact]
    public async Task Run_UnknownZone_KindFoundFromItsTestEntries()
    {
        // Without the catalog entry, dbl.rep.test answers "test" and not 127.0.0.2: a domain list.
        var results = await RunAsync("spammy.rep.test", ["dbl.rep.test", "bl.rep.test"], [Rep(10)], catalog: BlocklistCatalog.Default);

        Assert.Equal("domain", Check(results, "dnsbl-zone:dbl.rep.test").Evidence["kind"]);
        Assert.Equal("ip", Check(results, "dnsbl-zone:bl.rep.test").Evidence["kind"]);
        var domain = Assert.Single(Check(results, "dnsbl:spammy.rep.test").Findings);
        Assert.Equal("listed (return code 127.0.1.2)", ((IEnumerable<string>)domain.Evidence!["meanings"]!).Single());
        Assert.Equal([BlocklistFindingCodes.Listed], Codes(Check(results, $"dnsbl:{Rep(10)}")));
    }

    [Fact]
    public async Task Run_NoSendingIps_AsksAboutTheMailHostsAddresses()
    {
        // spammy.rep.test's MX is listed.rep.test, whose address Rep(10) is listed in bl.rep.test.
        var results = await RunAsync("spammy.rep.test", ["bl.rep.test"]);

        Assert.Equal([BlocklistFindingCodes.Listed], Codes(Check(results, $"dnsbl:{Rep(10)}")));
    }

    [Fact]
    public async Task Run_NoAddressAtAll_AsksOnlyTheDomainLists()
    {
        // nohost.rep.test does not exist: no MX, no hosts, no sending IPs.
        var results = await RunAsync("nohost.rep.test", ["bl.rep.test", "dbl.rep.test"]);

        Assert.Equal(["dnsbl-zone:dbl.rep.test", "dnsbl:nohost.rep.test"], results.Select(r => r.Id).Order(StringComparer.Ordinal));
        Assert.Equal(CheckStatus.Pass, Check(results, "dnsbl:nohost.rep.test").Status);
    }

    [Fact]
    public async Task Run_EmptyZoneList_RunsNoBlocklistCheck()
    {
        Assert.Empty(await RunAsync("good.rep.test", [], [Rep(10)]));
    }

    [Fact]
    public async Task Run_ManyAddressesManyZones_AnswersEveryPairWithinTheBound()
    {
        var ips = Enumerable.Range(0, 50).Select(i => Peers.Address(59, i)).ToList();
        var zones = Enumerable.Range(0, 10).Select(i => $"bench{i}.rep.test").ToList();
        var options = Peers.Options(o => new CheckOptions { MaxConcurrency = 4, ExtraTrustRoots = o.ExtraTrustRoots, AllowedNetworks = o.AllowedNetworks });
        var context = Peers.Context(
            Peers.Target("good.rep.test", t => t with { DnsblZones = zones, SendingIps = ips }), options, dns: RecursivePeer.Resolver());

        var results = await new BlocklistCheck(BlocklistCatalog.Default).RunAsync(context, CancellationToken.None);

        Assert.Equal(60, results.Count);
        var listed = results.Where(r => r.Status == CheckStatus.Fail).Select(r => r.Subject).Order().ToList();
        Assert.Equal(new[] { 0, 10, 20, 30, 40 }.Select(i => Peers.Address(59, i).ToString()).Order(), listed);
        Assert.All(results.Where(r => r.Status == CheckStatus.Fail), r => Assert.Equal(10, r.Findings.Count));
    }
}
