using System.Net;
using System.Text.Json;
using MailHealth.Storage.Targets;

namespace MailHealth.Cli.Tests.Serve;

/// <summary>The config file: its targets are written to storage at start; a mistake stops start-up with its path and exit 2.</summary>
public sealed class ServeConfigTests
{
    [Fact]
    public async Task ConfigTargetsAreStoredAtStart()
    {
        await using var serve = await ServeHarness.StartAsync("""
            [
              { "id": "shop", "domain": "demo.test", "ports": [25, "2525:smtp"], "tags": ["prod"] },
              { "id": "blog", "domain": "good.smtp.test", "enabled": false }
            ]
            """);

        var store = serve.Get<TargetStore>();
        var shop = await store.GetAsync("shop");
        var blog = await store.GetAsync("blog");
        Assert.NotNull(shop);
        Assert.Equal("demo.test", shop.Target.Domain);
        Assert.Equal([25, 2525], shop.Target.Ports.Select(p => p.Port));
        Assert.Equal(["prod"], shop.Target.Tags);
        Assert.NotNull(blog);
        Assert.False(blog.Target.Enabled);

        // The API serves what the file stored.
        using var listed = JsonDocument.Parse(await serve.Read.GetStringAsync(new Uri("/api/targets", UriKind.Relative)));
        Assert.Equal(["blog", "shop"], listed.RootElement.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task ApiNeedsItsKey()
    {
        await using var serve = await ServeHarness.StartAsync("""[ { "id": "shop", "domain": "demo.test" } ]""");

        using var anonymous = await serve.Http.GetAsync(new Uri("/api/targets/shop", UriKind.Relative));
        using var health = await serve.Http.GetAsync(new Uri("/api/health", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task MissingAdminKeyStopsStartUp()
    {
        var file = await WriteAsync("""
            { "targets": [], "MailHealth": { "Api": { "ReadKeys": ["only-a-read-key-0123456789"] } } }
            """);

        var outcome = await CliRunner.RunAsync("serve", "--config", file);

        Assert.Equal(ExitCodes.Usage, outcome.ExitCode);
        Assert.Contains("mailhealth: MailHealth:Api:AdminKeys: at least one admin key is required", outcome.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("only-a-read-key", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadTargetIsNamedByPathWithExitCode2()
    {
        var file = await WriteAsync("""
            { "targets": [ { "domain": "demo.test" }, { "domain": "x.test", "ports": [25, 70000] } ] }
            """);

        var outcome = await CliRunner.RunAsync("serve", "--config", file);

        Assert.Equal(ExitCodes.Usage, outcome.ExitCode);
        Assert.Contains("targets[1].ports[1]: port 70000 is out of range", outcome.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryBadTargetIsReportedOnItsOwnLine()
    {
        var file = await WriteAsync("""
            { "targets": [ { "domain": "" }, { "domain": "ok.test", "ports": ["x"] } ] }
            """);

        var outcome = await CliRunner.RunAsync("serve", "--config", file);

        Assert.Equal(ExitCodes.Usage, outcome.ExitCode);
        var lines = outcome.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.StartsWith("mailhealth: ", StringComparison.Ordinal) && l.Contains("targets[0].domain", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("mailhealth: ", StringComparison.Ordinal) && l.Contains("targets[1].ports[0]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task BadScheduleStopsStartUp()
    {
        var file = await WriteAsync("""
            { "targets": [], "MAILHEALTH_SCHEDULE": "*/5 * * * *" }
            """);

        var outcome = await CliRunner.RunAsync("serve", "--config", file);

        Assert.Equal(ExitCodes.Usage, outcome.ExitCode);
        Assert.Contains("MAILHEALTH_SCHEDULE: '*/5 * * * *' is not a cron expression of six fields", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScheduleThatDoesNotTickOncePerIntervalStopsStartUp()
    {
        // Every 10 minutes with 5-minute slots: every other slot would never be probed.
        var file = await WriteAsync("""
            { "targets": [], "MAILHEALTH_SCHEDULE": "0 */10 * * * *", "MailHealth": { "Monitor": { "Interval": "00:05:00" } } }
            """);

        var outcome = await CliRunner.RunAsync("serve", "--config", file);

        Assert.Equal(ExitCodes.Usage, outcome.ExitCode);
        Assert.Contains("MAILHEALTH_SCHEDULE: '0 */10 * * * *' ticks 10 min after", outcome.Error, StringComparison.Ordinal);
        Assert.Contains("MailHealth:Monitor:Interval is 5 min", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadSettingIsNamedByItsPath()
    {
        var file = await WriteAsync("""
            { "MailHealth": { "Monitor": { "Interval": "00:00:10" }, "Serve": { "ShutdownTimeout": "01:00:00" },
              "Reports": { "MaxMessageBytes": 10 }, "Ingestion": { "MaxReportDays": 61 } } }
            """);

        var outcome = await CliRunner.RunAsync("serve", "--config", file);

        Assert.Equal(ExitCodes.Usage, outcome.ExitCode);
        Assert.Contains("MailHealth:Monitor:Interval: 00:00:10 is not in 00:01:00-1.00:00:00", outcome.Error, StringComparison.Ordinal);
        Assert.Contains("MailHealth:Reports:MaxMessageBytes: 10 is not in 65536-1073741824", outcome.Error, StringComparison.Ordinal);
        Assert.Contains("MailHealth:Ingestion:MaxReportDays: 61 is not in 1-60", outcome.Error, StringComparison.Ordinal);
        Assert.Contains("MailHealth:Serve:ShutdownTimeout: 01:00:00 is not in", outcome.Error, StringComparison.Ordinal);
        Assert.Contains("MailHealth:Api:AdminKeys: at least one admin key is required", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FileThatIsNotJsonIsRefused()
    {
        var file = await WriteAsync("{ \"targets\": [ ");

        var outcome = await CliRunner.RunAsync("serve", "--config", file);

        Assert.Equal(ExitCodes.Usage, outcome.ExitCode);
        Assert.Contains("not JSON", outcome.Error, StringComparison.Ordinal);
    }

    private static async Task<string> WriteAsync(string json)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("serve-config-").FullName, "serve.json");
        await File.WriteAllTextAsync(path, json);
        return path;
    }
}
