using System.Diagnostics;
using System.Globalization;
using MailHealth.Bench;

// The Functions worker's cold start (issue 17, item 5): from a new process to its first handled
// invocation, in process, as Program.cs starts the worker and as the Functions tests build it
// (tests/MailHealth.Functions.Tests/FunctionsHarness.cs). Publishes this harness twice, without
// and with ReadyToRun (the Functions app's own publish setting), then starts each N times,
// alternating, and reports the medians. Needs the peers' Azurite (eng/peers/peers.sh start).
//   FunctionsStartBench [N]      (default 10)
//   FunctionsStartBench child    one cold start, its stages on one line (used by the above)
if (args is ["child"])
{
    await ColdStart.RunAsync();
    return 0;
}

var runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10;
var variants = new Dictionary<string, string>();
foreach (var (name, readyToRun) in new[] { ("JIT (before)", false), ("ReadyToRun (after)", true) })
{
    variants[name] = await Publisher.PublishAsync(readyToRun);
}

var results = variants.Keys.ToDictionary(k => k, _ => new List<ColdStart.Stages>());
for (var i = 0; i < runs; i++)
{
    foreach (var (name, dll) in variants)
    {
        results[name].Add(await ColdStart.SpawnAsync(dll));
    }
}

Console.WriteLine($"Functions worker cold start to its first handled invocation, median of {runs} starts each (alternating), {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
foreach (var (name, stages) in results)
{
    double Median(Func<ColdStart.Stages, double> of) => stages.Select(of).Order().ElementAt(stages.Count / 2);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  {name,-20} process start to first invocation answered {Median(s => s.Total):0} ms (runtime to Main {Median(s => s.ToMain):0} ms, host built {Median(s => s.Build):0} ms, tables and queues ready {Median(s => s.Initialize):0} ms, first invocation {Median(s => s.FirstInvocation):0} ms; a second one {Median(s => s.SecondInvocation):0} ms)"));
}

var before = results.First().Value.Select(s => s.Total).Order().ElementAt(runs / 2);
var after = results.Last().Value.Select(s => s.Total).Order().ElementAt(runs / 2);
Console.WriteLine($"  ReadyToRun / JIT: {after / before:0.00}");
return 0;

/// <summary>Publishes this harness for this machine's runtime, with or without ReadyToRun code.</summary>
internal static class Publisher
{
    public static async Task<string> PublishAsync(bool readyToRun)
    {
        var output = Path.Combine(MailHealth.Testing.Peers.RepoRoot, "artifacts", "functions-start", readyToRun ? "r2r" : "jit");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[]
        {
            "publish", Path.Combine(MailHealth.Testing.Peers.RepoRoot, "bench", "FunctionsStartBench"), "-c", "Release", "--use-current-runtime", "--self-contained", "false",
            $"-p:PublishReadyToRun={(readyToRun ? "true" : "false")}", "-o", output, "-nologo", "-v:quiet",
        })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var log = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet publish failed: {await log}{await errors}");
        }

        return Path.Combine(output, "FunctionsStartBench.dll");
    }
}
