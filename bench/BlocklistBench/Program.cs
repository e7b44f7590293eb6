using System.Globalization;
using System.Net;
using MailHealth.Blocklists;
using MailHealth.Checks;
using MailHealth.Dns;
using MailHealth.Testing;
using MailHealth.Testing.Dns;

// Time for the blocklist checks of 50 IPs against 10 zones served by the local rbldnsd (through
// the test resolver, unbound), then the same with an 11th zone whose server never answers.
// Needs the peers: MH_NET=... eng/peers/peers.sh start. Run: dotnet run -c Release --project bench/BlocklistBench [-- ROUNDS]
var rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;
var time = TimeProvider.System;
var ips = Enumerable.Range(0, 50).Select(i => Peers.Address(59, i)).ToList();
var zones = Enumerable.Range(0, 10).Select(i => $"bench{i}.rep.test").ToList();

// Production resolver settings (3 s per attempt, 1 retry), no client cache: every question goes out.
var dns = new DnsResolver(new DnsResolverOptions { Servers = [RecursivePeer.Endpoint], UseCache = false });
var options = new CheckOptions();
Console.WriteLine($"peers {Peers.Net}.0.0/16, resolver {RecursivePeer.Endpoint}, {ips.Count} IPs x {zones.Count} zones, "
    + $"concurrency {options.MaxConcurrency}, DNS timeout {dns.Options.Timeout.TotalSeconds} s x {dns.Options.Retries + 1} attempts");

await MeasureAsync("10 zones", zones);

// dead.rep.test is delegated to $MH_NET.50.53:53; a server there that reads and never answers.
await using (var silent = ScriptedDnsServer.Start(DnsFault.Drop, Peers.Address(50, 53), 53))
{
    await MeasureAsync("10 zones + 1 that never answers", [.. zones, "dead.rep.test"]);
    Console.WriteLine($"  (the silent server received {silent.Queries} question(s) from unbound)");
}

async Task MeasureAsync(string label, IReadOnlyList<string> zoneNames)
{
    var times = new List<double>();
    IReadOnlyList<CheckResult> results = [];
    for (var round = 0; round < rounds; round++)
    {
        var target = new MailHealth.Targets.Target { Id = "bench", Domain = "good.rep.test", SendingIps = ips, DnsblZones = zoneNames };
        var context = new CheckContext(target, dns, options, time, CheckServices.Default, CancellationToken.None);
        var started = time.GetTimestamp();
        results = await new BlocklistCheck().RunAsync(context, CancellationToken.None);
        times.Add(time.GetElapsedTime(started).TotalMilliseconds);
    }

    var listed = results.Count(r => r.Findings.Any(f => f.Code == BlocklistFindingCodes.Listed));
    var unresponsive = results.Count(r => r.Findings.Any(f => f.Code == BlocklistFindingCodes.ZoneUnresponsive));
    var sorted = times.Order().ToList();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{label}: first {times[0]:F0} ms, median {sorted[sorted.Count / 2]:F0} ms, min {sorted[0]:F0} ms over {rounds} rounds; "
        + $"{results.Count} results, {listed} listed, {unresponsive} with DNSBL_ZONE_UNRESPONSIVE"));
}
