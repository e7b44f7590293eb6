using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using MailHealth.Testing;
using MailHealth.Testing.Http;

namespace MailHealth.Cli.Tests.Serve;

/// <summary>
/// The curl examples of docs/api.md, run as written against <c>serve</c> on the peers: each shell
/// block in order, in one bash with <c>set -euo pipefail</c>, with the address and keys in the
/// variables the page names. A block that fails, or an answer that is not what the page shows, fails the test.
/// </summary>
public sealed partial class ApiDocsTests
{
    [Fact]
    public async Task ApiDocsExamples_RunAsWritten()
    {
        var blocks = ShellBlock().Matches(await File.ReadAllTextAsync(Path.Combine(Peers.RepoRoot, "docs", "api.md")))
            .Select(m => m.Groups[1].Value)
            .Where(b => !b.TrimStart().StartsWith("export MH_URL=", StringComparison.Ordinal))
            .ToList();
        Assert.True(blocks.Count >= 8, $"docs/api.md has {blocks.Count} runnable blocks");

        // The page's notification test: one webhook channel, to a receiver of the test's own.
        await using var receiver = new HttpReceiver();
        await using var serve = await ServeHarness.StartAsync("[]", settings: new Dictionary<string, string?>
        {
            ["MailHealth:Notifications:Channels:ops:Type"] = "webhook",
            ["MailHealth:Notifications:Channels:ops:Url"] = receiver.Url().ToString(),
            ["MailHealth:Notifications:Channels:ops:Secret"] = "docs-signing-key-0123456789",
        });
        var script = new StringBuilder("set -euo pipefail\n");
        // The page waits ten seconds for the probe it queued; here the wait ends as soon as the run is stored.
        script.AppendLine("""sleep() { for _ in $(seq 600); do curl -s -H "x-functions-key: $MH_KEY" "$MH_URL/api/targets/docs-example/status" | grep -q '"runId"' && return 0; command sleep 0.1; done; return 1; }""");
        for (var i = 0; i < blocks.Count; i++)
        {
            script.AppendLine($"echo '@@block {i}'").AppendLine(blocks[i]).AppendLine("echo");
        }

        var info = new ProcessStartInfo("bash") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        info.Environment["MH_URL"] = serve.Host.Addresses[0].TrimEnd('/');
        info.Environment["MH_KEY"] = ServeHarness.ReadKey;
        info.Environment["MH_ADMIN_KEY"] = ServeHarness.AdminKey;
        using var bash = Process.Start(info)!;
        await bash.StandardInput.WriteAsync(script.ToString());
        bash.StandardInput.Close();
        var output = bash.StandardOutput.ReadToEndAsync();
        var error = bash.StandardError.ReadToEndAsync();
        await bash.WaitForExitAsync();
        var outputs = (await output).Split("@@block ", StringSplitOptions.RemoveEmptyEntries);

        Assert.True(bash.ExitCode == 0, $"block {outputs.Length - 1} of docs/api.md failed ({bash.ExitCode}):\n{blocks[outputs.Length - 1]}\n--- output\n{outputs[^1]}\n--- stderr\n{await error}");
        Assert.Equal(blocks.Count, outputs.Length);
        Assert.Contains("\"status\":", outputs[0], StringComparison.Ordinal);
        Assert.Contains("\"id\":\"docs-example\"", outputs[1], StringComparison.Ordinal);
        Assert.Contains("\"runId\":\"docs-example/", outputs[2], StringComparison.Ordinal);
        Assert.Contains("\"checks\":[{", outputs[2], StringComparison.Ordinal);
        Assert.Contains(outputs, o => o.Contains("\"status\":401,\"detail\":\"the key is not valid\"", StringComparison.Ordinal));
        Assert.Contains("\"status\":400", outputs[^2], StringComparison.Ordinal);
        Assert.True(outputs[^2].Contains("port 70000 is out of range (1-65535)", StringComparison.Ordinal), outputs[^2]);
        Assert.Null(await serve.Get<MailHealth.Storage.Targets.TargetStore>().GetAsync("docs-example"));
        Assert.Single(outputs, o => o.Contains("\"name\":\"ops\",\"type\":\"webhook\",\"outcome\":\"delivered\"", StringComparison.Ordinal));
        Assert.Contains("\"kind\":\"test\"", Assert.Single(receiver.Requests).BodyText, StringComparison.Ordinal);
        var report = Assert.Single(outputs, o => o.Contains("\"door\":\"api\"", StringComparison.Ordinal));
        Assert.Contains("\"door\":\"api\",\"bytes\":882,", report, StringComparison.Ordinal);
        var receivers = Assert.Single(outputs, o => o.Contains("\"from\":\"2026-11-28\",\"to\":\"2026-11-28\",\"days\":[", StringComparison.Ordinal));
        Assert.Contains("\"items\":[{\"targetId\":\"docs-example\",\"dmarc\":{", receivers, StringComparison.Ordinal);
    }

    [GeneratedRegex("```sh\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex ShellBlock();
}
