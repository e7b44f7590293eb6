// Naming the sources of one large DMARC report (issue 16, item 4): N distinct source addresses
// (default 20,000) of brand.senders.test, named through the peers' resolver (unbound, the
// resolver's cache on, as the monitor runs it): MailHealth.Testing's SenderPool, 95% from the pool
// whose forward-confirmed names Knot makes up (2001:db8:5f::/48, those past 2001:db8:5f::3fff
// beyond the SPF record's ip6 term), the rest addresses without PTR. Prints wall time, CPU, peak RSS, the questions sent, what each source
// got; then the same report again on the same namer (every name remembered).
//   export MH_NET=127.71; eng/peers/peers.sh start
//   dotnet run -c Release --project bench/NamingBench [-- COUNT [--concurrency N] [--deadline SECONDS]]
using System.Diagnostics;
using System.Globalization;
using System.Net;
using MailHealth.Dns;
using MailHealth.PublicSuffix;
using MailHealth.Senders;
using MailHealth.Testing.Reports;

var net = Environment.GetEnvironmentVariable("MH_NET") is { Length: > 0 } n ? n : "127.53";
var count = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20_000;
var settings = new SenderNamingSettings
{
    Concurrency = Option("--concurrency") is { } c ? int.Parse(c, CultureInfo.InvariantCulture) : new SenderNamingSettings().Concurrency,
    Deadline = TimeSpan.FromSeconds(Option("--deadline") is { } d ? double.Parse(d, CultureInfo.InvariantCulture) : 600),
};
var dns = new DnsResolver(new DnsResolverOptions
{
    Servers = [new IPEndPoint(IPAddress.Parse($"{net}.0.55"), 53)],
    Timeout = TimeSpan.FromSeconds(2),
    Retries = 1,
    UseCache = true,
});

var sources = SenderPool.Take(count);

using var namer = new SenderNamer(dns, settings, TimeProvider.System, PublicSuffixList.Load(PublicSuffixList.DebianPath));
var check = await namer.NameAsync(SenderPool.Domain, [sources[0]]);
if (check[0].PtrName is null)
{
    Console.Error.WriteLine($"{sources[0]} has no name ({check[0].Problem}); are the peers up with MH_NET={net}?");
    return 1;
}

Console.WriteLine($"{count:N0} distinct sources of {SenderPool.Domain}, concurrency {settings.Concurrency}, deadline {settings.Deadline.TotalSeconds:N0} s, resolver {net}.0.55 (unbound) with the cache on");
await MeasureAsync("first report ", dns, () => namer.NameAsync(SenderPool.Domain, sources));
await MeasureAsync("same again   ", dns, () => namer.NameAsync(SenderPool.Domain, sources));
return 0;

string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

static async Task MeasureAsync(string label, DnsResolver dns, Func<Task<IReadOnlyList<SenderName>>> name)
{
    GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
    await File.WriteAllTextAsync("/proc/self/clear_refs", "5");
    var baseline = Status("VmRSS");
    var questions = dns.QuestionsSent;
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    var names = await name();
    var elapsed = clock.Elapsed.TotalSeconds;
    var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
    var asked = dns.QuestionsSent - questions;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{label}: {elapsed:N2} s wall, {names.Count / elapsed:N0} sources/s, {cpuSeconds:N2} s CPU; {asked:N0} DNS questions ({(double)asked / names.Count:N2} per source); RSS {baseline / 1024:N0} MB before, peak {Status("VmHWM") / 1024:N0} MB"));
    var problems = string.Join(", ", names.GroupBy(s => s.Problem).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count():N0}"));
    var spf = string.Join(", ", names.GroupBy(s => s.AuthorisedBy ?? s.SpfResult?.ToString() ?? "not evaluated").Select(g => $"{g.Key} {g.Count():N0}"));
    Console.WriteLine($"{label}: names: {problems}; SPF: {spf}");
}

static long Status(string field) =>
    long.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
