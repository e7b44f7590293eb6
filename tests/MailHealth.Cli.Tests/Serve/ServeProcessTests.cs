using System.Diagnostics;
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
        var prefix = "p" + Guid.NewGuid().ToString("N")[..12];
        var directory = Directory.CreateTempSubdirectory("serve-process-").FullName;
        var config = Path.Combine(directory, "serve.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["targets"] = new[] { new { id = "shop", domain = "demo.test", ports = new[] { 25 } } },
            ["MailHealth"] = new
            {
                Storage = new { ConnectionString = Peers.AzuriteConnectionString, TablePrefix = prefix, ProbeQueueName = prefix + "-probes", NotificationQueueName = prefix + "-notifications" },
                Api = new { AdminKeys = new[] { ServeHarness.AdminKey } },
            },
        }));

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "mailhealth.dll"), "serve", "--config", config, "--urls", "http://127.0.0.1:0" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        string? listening = null;
        while (await process.StandardOutput.ReadLineAsync(guard.Token) is { } line)
        {
            if (line.StartsWith("mailhealth serve: listening on http://127.0.0.1:", StringComparison.Ordinal))
            {
                listening = line;
                break;
            }
        }

        Assert.NotNull(listening);
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(guard.Token);
        }

        var rest = await process.StandardOutput.ReadToEndAsync(guard.Token);
        await process.WaitForExitAsync(guard.Token);

        Assert.Equal(0, process.ExitCode);
        Assert.Contains("mailhealth serve: stopped", rest, StringComparison.Ordinal);
        Assert.DoesNotContain(ServeHarness.AdminKey, rest + await error, StringComparison.Ordinal);

        // What it stored stays: the config's target, read by a host of the same settings.
        await using var host = await ServeHost.CreateAsync(new ServeOptions { ConfigFile = config, Urls = "http://127.0.0.1:0" }, CancellationToken.None);
        var stored = await host.Services.GetRequiredService<TargetStore>().GetAsync("shop");
        Assert.Equal("demo.test", stored?.Target.Domain);
        var account = host.Services.GetRequiredService<StorageAccount>();
        await PeerStorage.DeleteAsync(account);

        Directory.Delete(directory, recursive: true);
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
}
