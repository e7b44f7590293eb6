using System.Diagnostics;
using System.Reflection;
using MailHealth.Testing;

namespace MailHealth.Functions.Tests.Infra;

/// <summary>The Bicep CLI from the NuGet package the test project downloads (no network: build, lint and build-params work offline).</summary>
public static class Bicep
{
    private static readonly Lazy<string> Executable = new(() =>
    {
        var path = typeof(Bicep).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BicepPath").Value!;
        Assert.True(File.Exists(path), $"the Bicep CLI is not at {path} (restore the test project)");

        // The package does not keep the run bit on every machine (and is the linux-x64 build anyway).
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("the Bicep CLI package is the linux-x64 one");
        }

        File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        return path;
    });

    public static string Infra => Path.Combine(Peers.RepoRoot, "infra");

    /// <summary>Runs the CLI; returns its exit code, standard output and standard error.</summary>
    public static async Task<(int ExitCode, string Output, string Errors)> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(Executable.Value)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Infra,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Offline: no telemetry. main.bicepparam reads the azd environment: build it with the defaults.
        start.Environment["BICEP_TELEMETRY_ENABLED"] = "false";
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("AZURE_", StringComparison.Ordinal) || k.StartsWith("ALERT_", StringComparison.Ordinal)
            || k.StartsWith("SMTP_", StringComparison.Ordinal) || k.StartsWith("MAILHEALTH_", StringComparison.Ordinal) || k.StartsWith("ENTRA_", StringComparison.Ordinal) || k == "VNET_ENABLED").ToList())
        {
            start.Environment.Remove(name);
        }

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var errors = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await errors);
    }
}
