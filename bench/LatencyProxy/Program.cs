using System.Globalization;
using MailHealth.Bench;

// The delaying proxy of the internet-like fleet (bench/README.md, eng/peers/fleet.sh).
//   LatencyProxy serve --delay MS [--tcp-map FILE] [--tcp LISTEN=UPSTREAM]... [--dns LISTEN=UPSTREAM]...
//                      [--control IP:PORT]
//   LatencyProxy measure [--seconds N]
// serve: every --tcp route (and every line "LISTEN UPSTREAM" of --tcp-map) relays TCP through the
// link; every --dns route relays DNS over UDP and over TCP. The control port takes one command a
// line: "delay MS" (the one-way delay from now on) and "stats" (counters as JSON).
// measure: the proxy's own cost on this machine, in process (Overhead.cs).
if (args.Length == 0 || args[0] is not ("serve" or "measure"))
{
    Console.Error.WriteLine("usage: LatencyProxy serve --delay MS [--tcp-map FILE] [--tcp LISTEN=UPSTREAM]... [--dns LISTEN=UPSTREAM]... [--control IP:PORT] | LatencyProxy measure [--seconds N]");
    return 2;
}

var options = ProxyOptions.Parse(args.Skip(1).ToList());
if (args[0] == "measure")
{
    await Overhead.RunAsync(TimeSpan.FromSeconds(double.Parse(options.Value("--seconds") ?? "5", CultureInfo.InvariantCulture)));
    return 0;
}

return await ProxyHost.RunAsync(options);
