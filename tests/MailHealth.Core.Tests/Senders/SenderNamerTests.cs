using System.Net;
using MailHealth.Dns;
using MailHealth.PublicSuffix;
using MailHealth.Senders;
using MailHealth.Spf;
using MailHealth.Testing;
using MailHealth.Testing.Dns;
using Microsoft.Extensions.Time.Testing;

namespace MailHealth.Core.Tests.Senders;

/// <summary>
/// Naming the sources of brand.senders.test's reports against the peers: their reverse zones of
/// the documentation ranges, the providers' names, brand's SPF record. Faults come from a
/// scripted DNS server.
/// </summary>
public sealed class SenderNamerTests
{
    private const string Brand = "brand.senders.test";

    // The tests' own list: suffixes under senders.test as a provider's names would have them under
    // co.uk or a cloud's wildcard, since the peers serve .test names only.
    private static readonly PublicSuffixList Suffixes = PublicSuffixList.Parse(new StringReader("""
        // ===BEGIN ICANN DOMAINS===
        test
        senders.test
        co.senders.test
        *.cloud.senders.test
        // ===END ICANN DOMAINS===
        """));

    private static SenderNamer Namer(DnsResolver? dns = null, TimeProvider? time = null, SenderNamingSettings? settings = null) =>
        new(dns ?? Peers.Resolver(), settings ?? new SenderNamingSettings(), time ?? TimeProvider.System, Suffixes);

    private static IPAddress[] Ips(params string[] ips) => [.. ips.Select(IPAddress.Parse)];

    [Fact]
    public async Task Name_PeersSenders_EachNamedAndAuthorised()
    {
        using var namer = Namer();

        var names = (await namer.NameAsync(Brand, Ips(
            "192.0.2.201", "192.0.2.202", "192.0.2.203", "192.0.2.204", "192.0.2.205", "192.0.2.206",
            "192.0.2.216", "198.51.100.220", "203.0.113.230", "2001:db8:5e::25", "2001:db8:5e::26"))).ToDictionary(n => n.Ip.ToString());

        // confirmed forward, through two includes
        Assert.Equal("o201.out.mailer.senders.test", names["192.0.2.201"].PtrName);
        Assert.Equal("mailer.senders.test", names["192.0.2.201"].BaseDomain);
        Assert.Equal(SenderNameProblem.None, names["192.0.2.201"].Problem);
        Assert.Equal("include:_spf.mailer.senders.test", names["192.0.2.201"].AuthorisedBy);
        Assert.Equal("ip4:192.0.2.201", names["192.0.2.201"].SpfMatch!.Mechanism);

        // a multi-label suffix and a wildcard one; neither authorised: -all matched
        Assert.Equal("bulk.co.senders.test", names["192.0.2.202"].BaseDomain);
        Assert.Equal(SpfResult.Fail, names["192.0.2.202"].SpfResult);
        Assert.Null(names["192.0.2.202"].AuthorisedBy);
        Assert.Equal("host203.eu.cloud.senders.test", names["192.0.2.203"].BaseDomain);

        // a PTR name that points elsewhere, none, one that does not exist
        Assert.Equal(SenderNameProblem.Unconfirmed, names["192.0.2.204"].Problem);
        Assert.Equal("forged.mailer.senders.test", names["192.0.2.204"].PtrName);
        Assert.Null(names["192.0.2.204"].BaseDomain);
        Assert.Equal(SenderNameProblem.NoPtr, names["192.0.2.205"].Problem);
        Assert.Null(names["192.0.2.205"].PtrName);
        Assert.Equal(SenderNameProblem.Unconfirmed, names["192.0.2.206"].Problem);

        // two PTR names: the confirmed one is the name
        Assert.Equal("o216.out.mailer.senders.test", names["192.0.2.216"].PtrName);
        Assert.Equal(SenderNameProblem.None, names["192.0.2.216"].Problem);

        // top-level terms
        Assert.Equal("ip4:198.51.100.220/30", names["198.51.100.220"].AuthorisedBy);
        Assert.Equal("senders.test", Suffixes.PublicSuffixOf("o220.relay.senders.test"));
        Assert.Equal("relay.senders.test", names["198.51.100.220"].BaseDomain);
        Assert.Equal("a:mx230.senders.test", names["203.0.113.230"].AuthorisedBy);

        // IPv6: ip6.arpa, AAAA, an ip6 term inside the include
        Assert.Equal("o25.v6.mailer.senders.test", names["2001:db8:5e::25"].PtrName);
        Assert.Equal(SenderNameProblem.None, names["2001:db8:5e::25"].Problem);
        Assert.Equal("include:_spf.mailer.senders.test", names["2001:db8:5e::25"].AuthorisedBy);
        Assert.Equal(SenderNameProblem.NoPtr, names["2001:db8:5e::26"].Problem);
        // no name, yet authorised: the SPF verdict does not depend on the PTR
        Assert.Equal("include:_spf.mailer.senders.test", names["2001:db8:5e::26"].AuthorisedBy);
    }

    [Fact]
    public async Task Name_ThroughThePeersResolver_ItAnswersTheDocumentationReverseZones()
    {
        var resolver = RecursivePeer.Resolver();
        using var namer = new SenderNamer(resolver, new SenderNamingSettings(), TimeProvider.System, PublicSuffixList.Load(PublicSuffixList.DebianPath));

        var names = await namer.NameAsync(Brand, Ips("192.0.2.216", "2001:db8:5e::25"));

        Assert.Equal("o216.out.mailer.senders.test", names[0].PtrName);
        Assert.Equal("o25.v6.mailer.senders.test", names[1].PtrName);

        // Debian's list does not know .test: the default rule makes senders.test the base domain.
        Assert.All(names, n => Assert.Equal("senders.test", n.BaseDomain));
    }

    [Fact]
    public async Task Name_ThePoolKnotMakesUp_ForwardConfirmedAndSplitBySpf()
    {
        // The benchmark's pool (eng/peers/start.d/90-knot.sh): names made up for any address of
        // 2001:db8:5f::/48, and brand's SPF authorising 2001:db8:5f::/114 only.
        using var namer = Namer();

        var names = await namer.NameAsync(Brand, Ips("2001:db8:5f::3fff", "2001:db8:5f::4000"));

        Assert.Equal("pool-2001-db8-5f--3fff.senders.test", names[0].PtrName);
        Assert.Equal(SenderNameProblem.None, names[0].Problem);
        Assert.Equal("include:_spf.mailer.senders.test", names[0].AuthorisedBy);
        Assert.Equal("ip6:2001:db8:5f::/114", names[0].SpfMatch!.Mechanism);
        Assert.Equal(SenderNameProblem.None, names[1].Problem);
        Assert.Null(names[1].AuthorisedBy);
    }

    [Fact]
    public async Task Name_ManyAddressesOfOneDomain_RecordsAskedOnceAndRepeatsNamedOnce()
    {
        // 192.0.2.1-100 have no PTR: one question each, and SPF's four (three records, one a: name)
        // once for the hundred, not per address. Each address is given twice.
        var dns = Peers.Resolver();
        using var namer = Namer(dns);
        var ips = Enumerable.Range(1, 100).Select(i => IPAddress.Parse($"192.0.2.{i}")).ToList();

        var names = await namer.NameAsync(Brand, ips.Concat(ips));

        Assert.Equal(100, names.Count);
        Assert.All(names, n => Assert.Equal(SenderNameProblem.NoPtr, n.Problem));
        Assert.All(names, n => Assert.Equal(SpfResult.Fail, n.SpfResult));
        // Per address, it would be 300 or more. Exactly 104: two evaluations asking one question at
        // the same instant share it (the resolver's run view publishes one asking per question).
        Assert.Equal(100 + 4, dns.QuestionsSent);
    }

    [Fact]
    public async Task Name_SecondReport_RemembersNamesAndVerdicts()
    {
        var dns = Peers.Resolver();
        using var namer = Namer(dns);
        var first = await namer.NameAsync(Brand, Ips("192.0.2.201", "198.51.100.220"));
        var asked = dns.QuestionsSent;

        var second = await namer.NameAsync("BRAND.senders.test.", Ips("198.51.100.220", "192.0.2.201"));

        Assert.Equal(asked, dns.QuestionsSent);
        Assert.Equal(first.Reverse(), second);
    }

    [Fact]
    public async Task Name_AnotherDomain_SameNamesOtherVerdicts()
    {
        using var namer = Namer();
        await namer.NameAsync(Brand, Ips("192.0.2.201"));

        var other = Assert.Single(await namer.NameAsync("senders.test", Ips("192.0.2.201")));

        Assert.Equal("o201.out.mailer.senders.test", other.PtrName);
        Assert.Equal(SpfResult.None, other.SpfResult);
        Assert.Null(other.AuthorisedBy);
    }

    [Fact]
    public async Task Name_PastTheDeadline_NotNamedInTimeAndTheLookupGoesOnForTheNextReport()
    {
        var ip = IPAddress.Parse("192.0.2.77");
        var zone = new ScriptedZone()
            .Set(ip.GetArpaName(), ScriptedRecord.Ptr("slow.senders.test"))
            .Set("slow.senders.test", ScriptedRecord.A("192.0.2.77"))
            .Set(Brand, ScriptedRecord.Txt("v=spf1 ip4:192.0.2.0/24 -all"));
        await using var server = ScriptedDnsServer.Start(zone);
        server.Hold(ip.GetArpaName(), 12);
        var time = new FakeTimeProvider(TestClock.Start);
        var settings = new SenderNamingSettings { Deadline = TimeSpan.FromSeconds(5) };
        using var namer = Namer(server.Resolver(TimeSpan.FromMinutes(2)), time, settings);

        var naming = namer.NameAsync(Brand, [ip]);
        await server.Asked(ip.GetArpaName(), 12).WaitAsync(TimeSpan.FromMinutes(1));
        time.Advance(settings.Deadline);
        var late = Assert.Single(await naming.WaitAsync(TimeSpan.FromMinutes(1)));

        Assert.Equal(SenderNameProblem.NotNamedInTime, late.Problem);
        Assert.Null(late.PtrName);

        server.Release(ip.GetArpaName(), 12);
        var next = Assert.Single(await namer.NameAsync(Brand, [ip]).WaitAsync(TimeSpan.FromMinutes(1)));

        Assert.Equal("slow.senders.test", next.PtrName);
        Assert.Equal(SenderNameProblem.None, next.Problem);
        Assert.Equal("ip4:192.0.2.0/24", next.AuthorisedBy);
        Assert.Equal(1, server.QueriesFor(ip.GetArpaName(), 12));
    }

    [Fact]
    public async Task Name_CallerCancels_StopsWaitingWithoutTheDeadline()
    {
        await using var server = ScriptedDnsServer.Start(DnsFault.Drop);
        using var namer = Namer(server.Resolver(TimeSpan.FromMinutes(2)), new FakeTimeProvider(TestClock.Start));
        using var cancel = new CancellationTokenSource();

        var naming = namer.NameAsync(Brand, Ips("192.0.2.79"), cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => naming.WaitAsync(TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task Name_DeadServer_TimedOutAndTempErrorNotRemembered()
    {
        var zone = new ScriptedZone().Otherwise(DnsFault.Drop);
        await using var server = ScriptedDnsServer.Start(zone);
        using var namer = Namer(server.Resolver(TimeSpan.FromMilliseconds(300)));
        var ip = IPAddress.Parse("192.0.2.78");

        var name = Assert.Single(await namer.NameAsync(Brand, [ip]));

        Assert.Equal(SenderNameProblem.TimedOut, name.Problem);
        Assert.Equal(SpfResult.TempError, name.SpfResult);

        // The server comes back: the next report asks again rather than repeat the timeout.
        zone.Otherwise(DnsFault.ServerFailure);
        var again = Assert.Single(await namer.NameAsync(Brand, [ip]));
        Assert.Equal(SenderNameProblem.LookupFailed, again.Problem);
    }

    [Fact]
    public async Task Name_ConcurrencyOne_EveryAddressStillNamed()
    {
        using var namer = Namer(settings: new SenderNamingSettings { Concurrency = 1 });

        var names = await namer.NameAsync(Brand, Ips("192.0.2.201", "192.0.2.204", "2001:db8:5e::25"));

        Assert.Equal([SenderNameProblem.None, SenderNameProblem.Unconfirmed, SenderNameProblem.None], names.Select(n => n.Problem));
    }

    [Fact]
    public async Task Name_CacheFull_StillNamesAndKeepsNoMore()
    {
        using var namer = Namer(settings: new SenderNamingSettings { CacheCapacity = 2 });

        var names = await namer.NameAsync(Brand, Ips("192.0.2.201", "192.0.2.202", "192.0.2.203", "192.0.2.204"));

        Assert.All(names, n => Assert.NotNull(n.PtrName));
        Assert.Equal(2, namer.RememberedNames);
    }

    [Fact]
    public async Task Name_MissingSuffixListFile_SaysWhichFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"no-such-list-{Guid.NewGuid():N}.dat");
        using var namer = new SenderNamer(Peers.Resolver(), new SenderNamingSettings { PublicSuffixListPath = path }, TimeProvider.System);

        var e = await Assert.ThrowsAsync<FileNotFoundException>(() => namer.NameAsync(Brand, Ips("192.0.2.201")));

        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }
}
