// SPF evaluations per second: check_host() of bench.spf.test (eight includes, the sending IP
// matches in the last one: 8 DNS-querying terms, 9 TXT and no other queries) against the local
// Knot of eng/peers, once with the resolver's cache warm and once without a cache.
//   export MH_NET=127.62; eng/peers/peers.sh start
//   dotnet run -c Release --project bench/SpfBench [-- SECONDS]
using System.Diagnostics;
using System.Globalization;
using System.Net;
using MailHealth.Dns;
using MailHealth.Spf;

var net = Environment.GetEnvironmentVariable("MH_NET") is { Length: > 0 } n ? n : "127.53";
var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 5;
var server = new IPEndPoint(IPAddress.Parse($"{net}.0.53"), 53);
var request = new SpfRequest(IPAddress.Parse($"{net}.22.80"), "bounce@bench.spf.test", "mail.bench.spf.test");

foreach (var cache in new[] { false, true })
{
    var dns = new DnsResolver(new DnsResolverOptions { Servers = [server], UseCache = cache, Timeout = TimeSpan.FromSeconds(2), Retries = 0 });
    var evaluator = new SpfEvaluator(dns, TimeProvider.System);
    var first = await evaluator.CheckHostAsync(request);
    if (first.Result != SpfResult.Pass || first.Lookups != 8)
    {
        Console.Error.WriteLine($"unexpected: {first.Result.Name()} with {first.Lookups} lookups ({first.Reason}); are the peers up with MH_NET={net}?");
        return 1;
    }

    // Sequential evaluations for a fixed time; the count is bounded by the time.
    var count = 0;
    var clock = Stopwatch.StartNew();
    while (clock.Elapsed.TotalSeconds < seconds)
    {
        await evaluator.CheckHostAsync(request);
        count++;
    }

    var elapsed = clock.Elapsed.TotalSeconds;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{(cache ? "warm cache" : "no cache  ")}: {count} evaluations in {elapsed:F1} s = {count / elapsed:F0}/s ({elapsed * 1000 / count:F3} ms each, {first.Lookups} lookups, 9 TXT queries each)"));
}

return 0;
