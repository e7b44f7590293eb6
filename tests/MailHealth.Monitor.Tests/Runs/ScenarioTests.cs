using MailHealth.Alerts;
using MailHealth.Monitor.Scheduling;
using MailHealth.Runs;
using MailHealth.Storage.Alerts;
using MailHealth.Storage.Changes;
using MailHealth.Storage.Latest;
using MailHealth.Storage.Runs;
using MailHealth.Testing;
using MailHealth.Testing.Dns;
using Microsoft.Extensions.Time.Testing;

namespace MailHealth.Monitor.Tests.Runs;

/// <summary>
/// Three targets over many cycles in simulated time, with the scheduler, the queues, Azurite and
/// the real Postfix: one target breaks (its SPF grows past ten lookups; later its mail host
/// presents a certificate that has expired by then) and heals. What is stored and sent must be
/// exactly what happened.
/// </summary>
public sealed class ScenarioTests
{
    private const int Cycles = 12;
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task ManyCycles_OneTargetBreaksAndHeals_HistoryAlertsChangesAndNotificationsAreExactlyWhatHappened()
    {
        var good = Peers.Address(10, 1).ToString();
        var expiring3 = Peers.Address(10, 5).ToString();
        var zone = new ScriptedZone();
        // steady and warned receive mail at the good Postfix host; flaky at mx.fallback.smtp.test,
        // a name the good host's certificate also carries.
        foreach (var (domain, mx, dmarc) in new[]
        {
            ("steady.scn.test", "mx.good.smtp.test", "v=DMARC1; p=reject"),
            ("warned.scn.test", "mx.good.smtp.test", "v=DMARC1; p=none"),
            ("flaky.scn.test", "mx.fallback.smtp.test", "v=DMARC1; p=reject"),
        })
        {
            zone.Set(domain, ScriptedRecord.Mx(10, mx), ScriptedRecord.Txt($"v=spf1 ip4:{good} -all"));
            zone.Set("_dmarc." + domain, ScriptedRecord.Txt(dmarc));
            // A key the first run's selector sweep finds (this server, like some real ones, denies
            // the empty non-terminal _domainkey: the sweep's guard catches it), so DKIM is clean.
            zone.Set("selector1._domainkey." + domain, ScriptedRecord.Txt("v=DKIM1; k=ed25519; p=kvWf7F6g6nIg207gUeRPXAkozTfbU2hZAX4QcUvPQl8="));
        }

        zone.Set("mx.good.smtp.test", ScriptedRecord.A(good));
        zone.Set("mx.fallback.smtp.test", ScriptedRecord.A(good));
        zone.Set("mx.expiring3.smtp.test", ScriptedRecord.A(expiring3));
        zone.Set(Arpa(Peers.Address(10, 1)), ScriptedRecord.Ptr("mx.good.smtp.test"));
        zone.Set(Arpa(Peers.Address(10, 5)), ScriptedRecord.Ptr("mx.expiring3.smtp.test"));
        var includes = Enumerable.Range(1, 11).Select(i => $"i{i}.vendor.scn.test").ToList();
        foreach (var include in includes)
        {
            zone.Set(include, ScriptedRecord.Txt($"v=spf1 ip4:{good} -all"));
        }

        await using var dns = ScriptedDnsServer.Start(zone, Peers.Address(0, 102), 53);
        var time = new FakeTimeProvider(RunId.SlotOf(TimeProvider.System.GetUtcNow(), Interval));
        await using var monitor = await MonitorHarness.StartAsync(
            new Dictionary<string, string?> { ["MailHealth:Dns:Servers:0"] = dns.EndPoint.ToString() },
            time);
        foreach (var (id, domain) in new[] { ("steady", "steady.scn.test"), ("warned", "warned.scn.test"), ("flaky", "flaky.scn.test") })
        {
            await monitor.AddTargetAsync(id, domain, dnsbl: []);
        }

        var slots = new List<DateTimeOffset>();
        for (var cycle = 0; cycle < Cycles; cycle++)
        {
            switch (cycle)
            {
                case 3: // a vendor's include too many: 11 lookups
                    zone.Set("flaky.scn.test", ScriptedRecord.Mx(10, "mx.fallback.smtp.test"), ScriptedRecord.Txt($"v=spf1 {string.Join(' ', includes.Select(i => "include:" + i))} -all"));
                    break;
                case 5: // four days later the mail host is one whose certificate expired in between
                    time.Advance(TimeSpan.FromDays(4));
                    zone.Set("mx.fallback.smtp.test", ScriptedRecord.A(expiring3));
                    break;
                case 6: // SPF fixed
                    zone.Set("flaky.scn.test", ScriptedRecord.Mx(10, "mx.fallback.smtp.test"), ScriptedRecord.Txt($"v=spf1 ip4:{good} -all"));
                    break;
                case 8: // back on the good host
                    zone.Set("mx.fallback.smtp.test", ScriptedRecord.A(good));
                    break;
            }

            var (slot, queued) = await monitor.Get<ProbeScheduler>().ScheduleAsync(CancellationToken.None);
            Assert.Equal(3, queued);
            slots.Add(slot);
            await monitor.DrainAsync();
            time.Advance(Interval);
        }

        string Run(int cycle) => new RunId("flaky", slots[cycle]).ToString();

        // History: one run per cycle and target, newest first.
        foreach (var id in new[] { "steady", "warned", "flaky" })
        {
            var history = await monitor.Get<RunStore>().GetHistoryAsync(new HistoryQuery(id) { PageSize = 100 });
            Assert.Equal(slots.AsEnumerable().Reverse(), history.Items.Select(r => r.Slot));
        }

        // Alerts: flaky's SPF alert opened at cycle 3 and resolved after two clean runs (cycle 7);
        // its certificate alerts opened at cycle 5 and resolved at cycle 9.
        var flaky = (await monitor.Get<AlertStore>().GetOfTargetAsync("flaky")).Select(a => a.Alert).ToList();
        var spf = Assert.Single(flaky, a => a.Key.Code == "SPF_TOO_MANY_LOOKUPS");
        Assert.Equal((AlertStatus.Resolved, Run(3), Run(7)), (spf.Status, spf.OpenedRunId, spf.ResolvedRunId));
        var expired = Assert.Single(flaky, a => a.Key.Code == "TLS_CERT_EXPIRED");
        Assert.Equal((AlertStatus.Resolved, Run(5), Run(9)), (expired.Status, expired.OpenedRunId, expired.ResolvedRunId));
        Assert.All(flaky, a => Assert.Equal(AlertStatus.Resolved, a.Status));
        var transitions = (await monitor.Get<AlertStore>().ListTransitionsAsync("flaky")).Items;
        Assert.Equal(2 * flaky.Count, transitions.Count);

        // The steady target never alerted; the warned one opened once (its second run) and stays open.
        Assert.Empty((await monitor.Get<AlertStore>().ListTransitionsAsync("steady")).Items);
        var warned = Assert.Single((await monitor.Get<AlertStore>().GetOfTargetAsync("warned")).Select(a => a.Alert));
        Assert.Equal(("DMARC_POLICY_NONE", AlertStatus.Open, new RunId("warned", slots[1]).ToString()), (warned.Key.Code, warned.Status, warned.OpenedRunId));

        // Latest status: flaky healthy again.
        var latest = await monitor.Get<LatestStatusStore>().GetAsync("flaky");
        Assert.Equal(slots[^1], latest!.Slot);
        Assert.DoesNotContain(latest.Checks, c => c.Check.Findings.Any(f => f.Code is "SPF_TOO_MANY_LOOKUPS" or "TLS_CERT_EXPIRED"));

        // Change events: SPF at cycles 3 and 6, the certificate at cycles 5 and 8; nothing for the others.
        var changes = (await monitor.Get<ChangeEventStore>().ListAsync(new ChangeEventQuery { PageSize = 100 })).Items;
        Assert.All(changes, c => Assert.Equal("flaky", c.TargetId));
        Assert.Equal(
            [("spf", Run(3)), ("cert", Run(5)), ("spf", Run(6)), ("cert", Run(8))],
            changes.Select(c => (c.Item.Split(':')[0], c.RunId)).Distinct().OrderBy(c => c.RunId, StringComparer.Ordinal).ToList());
        Assert.Contains(changes, c => c.Item == "spf" && c.RunId == Run(3) && c.Summary.Contains("include:i11.vendor.scn.test", StringComparison.Ordinal));

        // Notifications: one signed webhook per opened or resolved alert and per change event, each once.
        var expected = transitions.Count + 1 + changes.Count;
        Assert.Equal(expected, monitor.Webhook.Requests.Count);
        Assert.Equal(expected, monitor.Webhook.DistinctDeliveries());
    }

    private static string Arpa(System.Net.IPAddress address) =>
        string.Join('.', address.GetAddressBytes().Reverse()) + ".in-addr.arpa";
}
