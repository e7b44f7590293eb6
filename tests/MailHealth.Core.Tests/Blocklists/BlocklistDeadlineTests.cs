using System.Net;
using MailHealth.Blocklists;
using MailHealth.Checks;
using MailHealth.Testing;
using MailHealth.Testing.Dns;
using Microsoft.Extensions.Time.Testing;

namespace MailHealth.Core.Tests.Blocklists;

/// <summary>
/// Issue 10: a dead blocklist zone costs at most the health-probe deadline, not the resolver's,
/// and never delays the other zones' answers. The clock is a <see cref="FakeTimeProvider"/>: the
/// deadline passes only when the test says so.
/// </summary>
public sealed class BlocklistDeadlineTests
{
    private static readonly IPAddress Listed = IPAddress.Parse("192.0.2.10");

    [Fact]
    public async Task Run_DeadZone_CostsTheProbeDeadlineAndDelaysNoOtherZone()
    {
        var zone = new ScriptedZone()
            .Add(BlocklistQuery.ForAddress(IPAddress.Parse("127.0.0.2"), "fast.example"), ScriptedRecord.A("127.0.0.2"))
            .Add(BlocklistQuery.ForAddress(Listed, "fast.example"), ScriptedRecord.A("127.0.0.2"))
            .Timeout(BlocklistQuery.ForAddress(IPAddress.Parse("127.0.0.2"), "dead.example"))
            .Timeout(BlocklistQuery.ForAddress(IPAddress.Parse("127.0.0.1"), "dead.example"));
        await using var server = ScriptedDnsServer.Start(zone);
        var catalog = BlocklistCatalog.Default.With(
            new BlocklistZone { Name = "fast.example", Kind = BlocklistKind.Ip },
            new BlocklistZone { Name = "dead.example", Kind = BlocklistKind.Ip });
        var time = new FakeTimeProvider();
        var target = Peers.Target("example.test", t => t with { DnsblZones = ["dead.example", "fast.example"], SendingIps = [Listed] });
        // The resolver would wait a minute for the dead zone: only the probe's deadline can end it.
        var context = Peers.Context(target, time: time, dns: server.Resolver(TimeSpan.FromMinutes(1)));

        var run = new BlocklistCheck(catalog).RunAsync(context, CancellationToken.None);

        // The fast zone is tested and asked (A and TXT of the listing) while the dead one is still
        // silent: 2 + 2 questions to it, 2 to the dead zone.
        for (var i = 0; i < 200 && server.Queries < 6; i++)
        {
            await Task.Delay(50);
        }

        Assert.Equal(6, server.Queries);
        Assert.False(run.IsCompleted);
        time.Advance(ZoneHealthProbe.Deadline);
        var results = await run.WaitAsync(TimeSpan.FromSeconds(30));

        var dead = Assert.Single(results, r => r.Id == "dnsbl-zone:dead.example");
        var finding = Assert.Single(dead.Findings);
        Assert.Equal(BlocklistFindingCodes.ZoneUnresponsive, finding.Code);
        Assert.Equal(CheckStatus.Error, dead.Status);
        var address = Assert.Single(results, r => r.Id == $"dnsbl:{Listed}");
        Assert.Equal([BlocklistFindingCodes.Listed], address.Findings.Select(f => f.Code));
        Assert.Equal(["dead.example"], Assert.IsAssignableFrom<IEnumerable<string>>(address.Evidence["zonesSkipped"]));
        Assert.Empty(Assert.Single(results, r => r.Id == "dnsbl-zone:fast.example").Findings);
    }
}
