using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MailHealth.Testing;

namespace MailHealth.Bench;

/// <summary>One run of the CLI under /usr/bin/time (wall, CPU, peak RSS of the whole process).</summary>
internal static class MailHealthRun
{
    public sealed record Result(double Wall, double CpuSeconds, double PeakRssMb, int Lines, int SmtpPassed, int SmtpProbes, IReadOnlyList<(string Peer, double Seconds)> PeersCpu);

    /// <summary>The first <paramref name="size"/> domains of the peers' fleet.test zone, through the peers' resolver.</summary>
    public static Task<Result> RunAsync(string cli, int size, int concurrency) =>
        RunAsync(cli, [.. Enumerable.Range(1, size).Select(i => $"d{i}.fleet.test")], concurrency, RecursivePeer.Endpoint.Address.ToString());

    /// <summary>
    /// <c>mailhealth check --targets</c> over <paramref name="domains"/> (port 25, the peers' test
    /// blocklist only) through the resolver at <paramref name="dns"/>, every check or those named.
    /// </summary>
    /// <param name="checks">The kinds each target runs (the targets file's <c>checks</c>); null: the full suite.</param>
    public static async Task<Result> RunAsync(string cli, IReadOnlyList<string> domains, int concurrency, string dns, IReadOnlyList<string>? checks = null)
    {
        var size = domains.Count;
        var file = Path.Combine(Path.GetTempPath(), $"fleetbench-{size}.json");
        object Target(string domain, int i) => checks is null
            ? new { id = $"d{i + 1}", domain, ports = new[] { 25 }, dnsbl = new[] { "bl.rep.test" } }
            : new { id = $"d{i + 1}", domain, ports = new[] { 25 }, checks };
        var targets = domains.Select(Target);
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(new { targets }));
        var timeFile = Path.GetTempFileName();
        var start = new ProcessStartInfo("/usr/bin/time")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[]
        {
            "-o", timeFile, "-f", "%e %U %S %M", "dotnet", cli, "check", "--targets", file, "--json", "--concurrency", concurrency.ToString(CultureInfo.InvariantCulture),
            "--dns", dns, "--ca-file", Peers.CaFile, "--timeout", "30",
        }.Concat(Peers.LoopbackNetworkArguments))
        {
            start.ArgumentList.Add(arg);
        }

        var peersBefore = PeerCpu.Snapshot();
        using var process = Process.Start(start)!;
        var lines = 0;
        var smtpPassed = 0;
        var smtpProbes = 0;
        var errors = process.StandardError.ReadToEndAsync();
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            lines++;
            using var report = JsonDocument.Parse(line);
            var smtp = report.RootElement.GetProperty("checks").EnumerateArray().Where(c => c.GetProperty("kind").GetString() == "smtp").ToList();
            smtpPassed += smtp.Count(c => c.GetProperty("status").GetString() == "pass");
            smtpProbes += smtp.Count(c => !c.GetProperty("evidence").TryGetProperty("sharedProbe", out _));
        }

        await process.WaitForExitAsync();
        var peersCpu = PeerCpu.Between(peersBefore, PeerCpu.Snapshot());
        var stderr = await errors;
        if (lines != size)
        {
            // A CLI that failed (a broken publish, a bad option) must not pass for a fast one.
            throw new InvalidOperationException($"mailhealth printed {lines} report(s) for {size} target(s), exit code {process.ExitCode}: {stderr.Trim()}");
        }

        var parts = (await File.ReadAllTextAsync(timeFile)).Trim().Split('\n')[^1].Split(' ');
        File.Delete(timeFile);
        File.Delete(file);
        double Number(int i) => double.Parse(parts[i], CultureInfo.InvariantCulture);
        return new Result(Number(0), Number(1) + Number(2), Number(3) / 1024, lines, smtpPassed, smtpProbes, peersCpu);
    }
}
