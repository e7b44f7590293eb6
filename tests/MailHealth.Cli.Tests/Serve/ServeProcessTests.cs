using System.Diagnostics;
using System.Net;
using System.Text.Json;
using MailHealth.Cli.Serve;
using MailHealth.Storage.Configuration;
using MailHealth.Storage.Targets;
using MailHealth.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MailHealth.Cli.Tests.Serve;

/// <summary>
/// The built <c>mailhealth serve</c> as a process: it says where it listens, and a stop signal ends
/// it gracefully with exit 0. SIGTERM, not SIGINT: a test run started in the background of a shell
/// inherits SIGINT ignored, and so would serve (Ctrl+C on a terminal takes the same path).
/// </summary>
public sealed class ServeProcessTests
{
    [Fact]
    public async Task StopSignalEndsTheProcessGracefullyWithExitCode0()
    {
        var config = await WriteConfigAsync();
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var serve = await ServeProcess.StartAsync(config, new Dictionary<string, string>(), guard.Token);

        var (exitCode, output) = await serve.StopAsync(guard.Token);

        Assert.Equal(0, exitCode);
        Assert.Contains("mailhealth serve: stopped", output, StringComparison.Ordinal);
        Assert.DoesNotContain(ServeHarness.AdminKey, output, StringComparison.Ordinal);

        // What it stored stays: the config's target, read by a host of the same settings.
        await using var host = await ServeHost.CreateAsync(new ServeOptions { ConfigFile = config, Urls = "http://127.0.0.1:0" }, CancellationToken.None);
        var stored = await host.Services.GetRequiredService<TargetStore>().GetAsync("shop");
        Assert.Equal("demo.test", stored?.Target.Domain);
        var account = host.Services.GetRequiredService<StorageAccount>();
        await PeerStorage.DeleteAsync(account);

        Directory.Delete(Path.GetDirectoryName(config)!, recursive: true);
    }

    [Fact]
    public async Task KeysInTheCodeParameter_NeverReachTheLog_EvenWithRequestLoggingConfiguredOn()
    {
        var config = await WriteConfigAsync();
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));

        // Information for ASP.NET Core, and Trace for the request lines on the console provider itself.
        var serve = await ServeProcess.StartAsync(config, new Dictionary<string, string>
        {
            ["Logging__LogLevel__Microsoft.AspNetCore"] = "Information",
            ["Logging__Console__LogLevel__Microsoft.AspNetCore.Hosting.Diagnostics"] = "Trace",
        }, guard.Token);
        using var http = new HttpClient { BaseAddress = serve.Address };
        var known = await http.GetAsync("/api/targets?code=" + ServeHarness.AdminKey, guard.Token);
        var unknown = await http.GetAsync("/api/targets?code=not-a-key-of-this-monitor-42", guard.Token);

        var (exitCode, output) = await serve.StopAsync(guard.Token);

        Assert.Equal(HttpStatusCode.OK, known.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.Equal(0, exitCode);

        // ASP.NET Core logs at Information as configured (the endpoint it ran), but no line with a URL.
        Assert.Contains("Executing endpoint 'HTTP: GET /api/targets'", output, StringComparison.Ordinal);
        Assert.DoesNotContain(ServeHarness.AdminKey, output, StringComparison.Ordinal);
        Assert.DoesNotContain("not-a-key-of-this-monitor-42", output, StringComparison.Ordinal);
        await DeleteStorageAsync(config);
    }

    [Fact]
    public async Task WithoutStorageSettingsTheLocalAzuriteIsUsed()
    {
        await using var host = await ServeHost.CreateAsync(new ServeOptions
        {
            Settings = new Dictionary<string, string?> { ["MailHealth:Api:AdminKeys:0"] = ServeHarness.AdminKey },
        }, CancellationToken.None);

        Assert.Equal(ServeHost.DevelopmentStorage, host.Services.GetRequiredService<IOptions<StorageOptions>>().Value.ConnectionString);
    }

    /// <summary>A config file (one target, an admin key) on storage of its own, in a directory of its own.</summary>
    private static async Task<string> WriteConfigAsync()
    {
        var prefix = "p" + Guid.NewGuid().ToString("N")[..12];
        var directory = Directory.CreateTempSubdirectory("serve-process-").FullName;
        var config = Path.Combine(directory, "serve.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["targets"] = new[] { new { id = "shop", domain = "demo.test", ports = new[] { 25 } } },
            ["MailHealth"] = new
            {
                Storage = new { ConnectionString = Peers.AzuriteConnectionString, TablePrefix = prefix, ProbeQueueName = prefix + "-probes", NotificationQueueName = prefix + "-notifications", ReportQueueName = prefix + "-reports", ReportContainerName = prefix + "-reports" },
                Api = new { AdminKeys = new[] { ServeHarness.AdminKey } },
            },
        }));
        return config;
    }

    private static async Task DeleteStorageAsync(string config)
    {
        await using var host = await ServeHost.CreateAsync(new ServeOptions { ConfigFile = config, Urls = "http://127.0.0.1:0" }, CancellationToken.None);
        await PeerStorage.DeleteAsync(host.Services.GetRequiredService<StorageAccount>());
        Directory.Delete(Path.GetDirectoryName(config)!, recursive: true);
    }

    /// <summary>The built <c>mailhealth serve</c> as a process, once it says where it listens.</summary>
    private sealed class ServeProcess(Process process, Uri address, Task<string> errors)
    {
        public Uri Address { get; } = address;

        public static async Task<ServeProcess> StartAsync(string config, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "mailhealth.dll"), "serve", "--config", config, "--urls", "http://127.0.0.1:0" })
            {
                start.ArgumentList.Add(arg);
            }

            foreach (var (name, value) in environment)
            {
                start.Environment[name] = value;
            }

            var process = Process.Start(start)!;
            var errors = process.StandardError.ReadToEndAsync(cancellationToken);
            const string listening = "mailhealth serve: listening on ";
            while (await process.StandardOutput.ReadLineAsync(cancellationToken) is { } line)
            {
                if (line.StartsWith(listening + "http://127.0.0.1:", StringComparison.Ordinal))
                {
                    return new ServeProcess(process, new Uri(line[listening.Length..].Split(' ', ',')[0]), errors);
                }
            }

            throw new Xunit.Sdk.XunitException("serve ended without saying where it listens: " + await errors);
        }

        /// <summary>Sends SIGTERM and waits: the exit code and everything it wrote after it said where it listens.</summary>
        public async Task<(int ExitCode, string Output)> StopAsync(CancellationToken cancellationToken)
        {
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync(cancellationToken);
            }

            var rest = await process.StandardOutput.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            var exitCode = process.ExitCode;
            process.Dispose();
            return (exitCode, rest + await errors);
        }
    }
}
