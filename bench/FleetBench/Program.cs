using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MailHealth.Bench;
using MailHealth.Testing;

// The fleet benchmark of issue 7: `mailhealth check --targets FILE --ports 25 --json` over N
// domains of the peers' fleet.test zone (each one's MX is the good Postfix listener), against
// prometheus-blackbox-exporter STARTTLS-probing the same listener N times at the same
// concurrency, in the same run. Reports wall time, SMTP probes per second, CPU seconds and peak
// memory of each, and the ratio. Needs the peers (MH_NET=... eng/peers/peers.sh start) and the
// CLI published as eng/run.sh publishes it (artifacts/mailhealth). With --per-check [KIND],
// the cost of each check (or of KIND) instead (CheckCosts), in this process. With --internet
// [N] [--only like|full|profile], issue 17's side-by-side on the internet-like fleet instead
// (InternetBench; eng/peers/fleet.sh start first). With --serve [N] [--cycles K] [--interval MIN],
// `mailhealth serve` on Azurite with the fleet's first N domains for K scheduled cycles (ServeAtScale).
// --cli DLL runs another build of the CLI than artifacts/mailhealth (a before/after pair).
// Numbers are sizes, except the value of an option that takes one.
string[] valued = ["--concurrency", "--repeat", "--per-check", "--only", "--cycles", "--interval", "--cli"];
var given = args.Where((a, i) => int.TryParse(a, out _) && (i == 0 || !valued.Contains(args[i - 1])))
    .Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToList();
var sizes = given.Count > 0 ? given : [100, 1000];

var concurrencyAt = Array.IndexOf(args, "--concurrency");
var concurrency = concurrencyAt >= 0 ? int.Parse(args[concurrencyAt + 1], CultureInfo.InvariantCulture) : 16;
// The machine's speed drifts between runs: each side runs this many times, alternating, and the
// ratio reported is the median of the pairs'.
var repeatAt = Array.IndexOf(args, "--repeat");
var repeat = repeatAt >= 0 ? int.Parse(args[repeatAt + 1], CultureInfo.InvariantCulture) : 3;
var perCheckAt = Array.IndexOf(args, "--per-check");
var internetAt = Array.IndexOf(args, "--internet");
var onlyAt = Array.IndexOf(args, "--only");
if (perCheckAt >= 0)
{
    var kind = perCheckAt + 1 < args.Length && !args[perCheckAt + 1].StartsWith("--", StringComparison.Ordinal) && !int.TryParse(args[perCheckAt + 1], out _) ? args[perCheckAt + 1] : null;
    foreach (var size in sizes)
    {
        await CheckCosts.RunAsync(size, concurrency, kind);
    }

    return 0;
}

// The CLI as eng/run.sh publishes it (ReadyToRun, for this machine's runtime).
var cliAt = Array.IndexOf(args, "--cli");
var cli = cliAt >= 0 ? Path.GetFullPath(args[cliAt + 1]) : Path.Combine(Peers.RepoRoot, "artifacts/mailhealth/mailhealth.dll");
if (!File.Exists(cli))
{
    Console.Error.WriteLine($"publish the CLI first, as eng/run.sh does: dotnet publish src/MailHealth.Cli -c Release --use-current-runtime --self-contained false -o artifacts/mailhealth ({cli} is missing)");
    return 2;
}

if (Array.IndexOf(args, "--serve") >= 0)
{
    // Issue 17, item 3: serve on Azurite with the internet-like fleet, on its schedule, for a few cycles.
    var cyclesAt = Array.IndexOf(args, "--cycles");
    var intervalAt = Array.IndexOf(args, "--interval");
    return await ServeAtScale.RunAsync(
        cli,
        given.Count > 0 ? given[0] : 10000,
        cyclesAt >= 0 ? int.Parse(args[cyclesAt + 1], CultureInfo.InvariantCulture) : 3,
        intervalAt >= 0 ? int.Parse(args[intervalAt + 1], CultureInfo.InvariantCulture) : 5);
}

if (internetAt >= 0)
{
    // Issue 17's side-by-side on the internet-like fleet (eng/peers/fleet.sh): 1,000 domains at concurrency 64 unless told.
    return await InternetBench.RunAsync(cli, given.Count > 0 ? given[0] : 1000, concurrencyAt >= 0 ? concurrency : 64, onlyAt >= 0 ? args[onlyAt + 1] : null);
}

var exporter = Blackbox.Find();
var listener = $"{Peers.Address(10, 1)}:25";
Console.WriteLine($"peers {Peers.Net}.0.0/16; Postfix listener {listener}; concurrency {concurrency}; {Environment.ProcessorCount} cores");

// The idle footprint of the CLI: one target, one at a time.
var idle = await MailHealthRun.RunAsync(cli, 1, 1);
Console.WriteLine($"mailhealth, 1 target: wall {idle.Wall:0.00} s, peak RSS {idle.PeakRssMb:0} MB (baseline for memory per target)");

foreach (var size in sizes)
{
    var wider = await MailHealthRun.RunAsync(cli, size, concurrency * 4);
    var pairs = new List<(MailHealthRun.Result Ours, Blackbox.Result Theirs)>();
    for (var i = 0; i < repeat; i++)
    {
        pairs.Add((await MailHealthRun.RunAsync(cli, size, concurrency), await Blackbox.RunAsync(exporter, listener, size, concurrency)));
    }

    // The pair whose ratio is the median stands for the run; every pair's ratio is listed.
    var ratios = pairs.Select(p => p.Ours.Wall / p.Theirs.Wall).ToList();
    var (ours, theirs) = pairs.OrderBy(p => p.Ours.Wall / p.Theirs.Wall).ElementAt(pairs.Count / 2);
    Console.WriteLine();
    Console.WriteLine($"{size} targets, concurrency {concurrency} (median of {repeat} alternating runs of each)");
    // A target whose MX host another target's probe had just seen reads that probe (evidence
    // "sharedProbe") instead of connecting again: the SMTP connections made are the others.
    Console.WriteLine($"  mailhealth (full suite, --ports 25): wall {ours.Wall:0.00} s, {size / ours.Wall:0.0} targets/s, CPU {ours.CpuSeconds:0.00} s, peak RSS {ours.PeakRssMb:0} MB, {ours.Lines} JSON lines, {ours.SmtpPassed} smtp checks passed, {ours.SmtpProbes} SMTP probes made (the others shared)");
    Console.WriteLine($"  blackbox_exporter (smtp_starttls):   wall {theirs.Wall:0.00} s, {size / theirs.Wall:0.0} SMTP probes/s, CPU {theirs.CpuSeconds:0.00} s, peak RSS {theirs.PeakRssMb:0} MB, {theirs.Succeeded} probes succeeded");
    Console.WriteLine($"  ratio (mailhealth / blackbox wall): {ours.Wall / theirs.Wall:0.00} (each pair: {string.Join(", ", ratios.Select(r => r.ToString("0.00", CultureInfo.InvariantCulture)))})");
    // blackbox_exporter is started before its clock; mailhealth's wall includes its own start.
    Console.WriteLine($"  ratio without mailhealth's start-up (its wall less the 1-target run's {idle.Wall:0.00} s): {(ours.Wall - idle.Wall) / theirs.Wall:0.00}");
    // Where the machine's CPU went: once both sides keep the cores busy, the wall ratio follows these sums.
    var oursOnMachine = ours.CpuSeconds + ours.PeersCpu.Sum(p => p.Seconds);
    var theirsOnMachine = theirs.CpuSeconds + theirs.PeersCpu.Sum(p => p.Seconds);
    Console.WriteLine($"  the peers' CPU meanwhile: during mailhealth's run {PeerCpu.Describe(ours.PeersCpu)}; during blackbox_exporter's {PeerCpu.Describe(theirs.PeersCpu)}");
    Console.WriteLine($"  CPU on the machine (the tool and the peers): mailhealth's run {oursOnMachine:0.00} s, blackbox_exporter's {theirsOnMachine:0.00} s, ratio {oursOnMachine / theirsOnMachine:0.00}");
    // Like for like: MailHealth's SMTP check alone (MX resolution, probe, certificate judged), in this process.
    var smtpOnly = await CheckCosts.WallAsync("smtp", size, concurrency, shareProbes: false);
    Console.WriteLine($"  mailhealth's smtp check alone, in process, one probe per target: wall {smtpOnly.Wall:0.00} s; ratio to blackbox_exporter {smtpOnly.Wall / theirs.Wall:0.00}; {smtpOnly.Gc}");
    // As if every domain had its own MX host: no probe is shared.
    var unshared = await CheckCosts.WallAsync(null, size, concurrency, shareProbes: false);
    Console.WriteLine($"  mailhealth's full suite, in process, one probe per target (none shared): wall {unshared.Wall:0.00} s; ratio to blackbox_exporter {unshared.Wall / theirs.Wall:0.00}; {unshared.Gc}");
    // The slope between two widths: what one more target in flight costs, without the runtime's own footprint.
    Console.WriteLine($"  mailhealth at concurrency {concurrency * 4}: wall {wider.Wall:0.00} s, peak RSS {wider.PeakRssMb:0} MB");
    Console.WriteLine($"  memory per in-flight target: {(wider.PeakRssMb - ours.PeakRssMb) / (3 * concurrency):0.00} MB (slope from {concurrency} to {concurrency * 4} in flight); above the 1-target run: {(ours.PeakRssMb - idle.PeakRssMb) / concurrency:0.00} MB");
}

return 0;
