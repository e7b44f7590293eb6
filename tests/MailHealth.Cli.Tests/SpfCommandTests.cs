using System.CommandLine;
using System.Text.Json;
using MailHealth.Cli.Commands;
using MailHealth.Testing;

namespace MailHealth.Cli.Tests;

/// <summary><c>mailhealth spf</c> in-process against the spf.test zone that Knot serves.</summary>
public sealed class SpfCommandTests
{
    private static string Dns => $"{Peers.Dns.Address}:{Peers.Dns.Port}";

    private static string Ip(int c, int d) => Peers.Address(c, d).ToString();

    // The command alone under a root, with the exit-code rules of CliApp: a parse error or a
    // UsageException is one line on stderr and exit 2.
    private static async Task<CliRunner.Outcome> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var root = new RootCommand("test") { SpfCommand.Create(output, TimeProvider.System) };
        var parse = root.Parse(["spf", .. args]);
        int code;
        if (parse.Errors.Count > 0)
        {
            await error.WriteLineAsync($"mailhealth: {parse.Errors[0].Message}");
            code = ExitCodes.Usage;
        }
        else
        {
            try
            {
                code = await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
            }
            catch (UsageException e)
            {
                await error.WriteLineAsync($"mailhealth: {e.Message}");
                code = ExitCodes.Usage;
            }
        }

        return new CliRunner.Outcome(code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Spf_AuthorizedIp_PrintsPassAndTheTrace()
    {
        var outcome = await RunAsync("--ip", Ip(20, 1), "--sender", "user@good.spf.test", "--dns", Dns);

        Assert.Equal(ExitCodes.Ok, outcome.ExitCode);
        Assert.Contains("result:      pass", outcome.Output, StringComparison.Ordinal);
        Assert.Contains($"ip4:{Ip(20, 1)}: match -> pass", outcome.Output, StringComparison.Ordinal);
        Assert.Contains("TXT good.spf.test:", outcome.Output, StringComparison.Ordinal);
        Assert.Equal("", outcome.Error);
    }

    [Fact]
    public async Task Spf_Fail_ExitsZeroWithTheExplanation()
    {
        var outcome = await RunAsync("--ip", Ip(20, 1), "--sender", "alice@notauth.spf.test", "--dns", Dns);

        Assert.Equal(ExitCodes.Ok, outcome.ExitCode);
        Assert.Contains("result:      fail", outcome.Output, StringComparison.Ordinal);
        Assert.Contains($"explanation: {Ip(20, 1)} is not allowed to send mail for notauth.spf.test (sender alice@notauth.spf.test)", outcome.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Spf_MatchInsideIncludes_TopTermAndInnermostInJsonAndText()
    {
        var json = await RunAsync("--ip", "192.0.2.216", "--sender", "postmaster@brand.senders.test", "--dns", Dns, "--json");
        var text = await RunAsync("--ip", "192.0.2.216", "--sender", "postmaster@brand.senders.test", "--dns", Dns);

        using var document = JsonDocument.Parse(json.Output);
        var match = document.RootElement.GetProperty("match");
        Assert.Equal("include:_spf.mailer.senders.test", match.GetProperty("term").GetString());
        Assert.Equal("ip4:192.0.2.216", match.GetProperty("mechanism").GetString());
        Assert.Equal(2, match.GetProperty("path").GetArrayLength());
        Assert.Contains(
            "matched:     ip4:192.0.2.216 (via include:_spf.mailer.senders.test -> include:_netblocks.mailer.senders.test, in the record of _netblocks.mailer.senders.test)",
            text.Output,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Spf_Json_HasResultExplanationLookupsAndTrace()
    {
        var outcome = await RunAsync("--ip", Ip(24, 4), "--sender", "bob@atlimit.spf.test", "--dns", Dns, "--json");

        Assert.Equal(ExitCodes.Ok, outcome.ExitCode);
        using var json = JsonDocument.Parse(outcome.Output);
        var root = json.RootElement;
        Assert.Equal("pass", root.GetProperty("result").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("explanation").ValueKind);
        // include:t1 (1+3) and include:t2 (1+3) do not match; a:h4 does: 9 lookups.
        Assert.Equal(9, root.GetProperty("lookups").GetInt32());
        Assert.Contains(root.GetProperty("trace").EnumerateArray(), t => t.GetProperty("kind").GetString() == "query");
        Assert.Equal(2, root.GetProperty("includeTree").GetProperty("children").GetArrayLength());
    }

    [Fact]
    public async Task Spf_TooManyLookups_IsPermErrorNamingTheTerm()
    {
        var outcome = await RunAsync("--ip", Ip(20, 1), "--sender", "x@toomany.spf.test", "--dns", Dns, "--json");

        using var json = JsonDocument.Parse(outcome.Output);
        Assert.Equal("permerror", json.RootElement.GetProperty("result").GetString());
        Assert.Equal("TooManyLookups", json.RootElement.GetProperty("problem").GetString());
        Assert.Equal(11, json.RootElement.GetProperty("lookups").GetInt32());
        Assert.Equal(ExitCodes.Ok, outcome.ExitCode);
    }

    [Fact]
    public async Task Spf_NullSender_ChecksPostmasterAtHelo()
    {
        var outcome = await RunAsync("--ip", Ip(20, 1), "--sender", "", "--helo", "good.spf.test", "--dns", Dns, "--json");

        using var json = JsonDocument.Parse(outcome.Output);
        Assert.Equal("postmaster@good.spf.test", json.RootElement.GetProperty("sender").GetString());
        Assert.Equal("pass", json.RootElement.GetProperty("result").GetString());
    }

    [Fact]
    public async Task Spf_NoRecord_IsNone()
    {
        var outcome = await RunAsync("--ip", Ip(20, 1), "--sender", "x@missing.spf.test", "--dns", Dns, "--json");

        using var json = JsonDocument.Parse(outcome.Output);
        Assert.Equal("none", json.RootElement.GetProperty("result").GetString());
        Assert.Equal(0, json.RootElement.GetProperty("lookups").GetInt32());
    }

    [Theory]
    [InlineData("--ip", "300.1.1.1", "--sender", "a@good.spf.test")]
    [InlineData("--ip", "not-an-ip", "--sender", "a@good.spf.test")]
    [InlineData("--ip", "1.2.3", "--sender", "a@good.spf.test")]
    [InlineData("--ip", "127.0.0.1", "--sender", "")]
    [InlineData("--ip", "127.0.0.1", "--sender", "a@good.spf.test", "--dns", "nope")]
    [InlineData("--sender", "a@good.spf.test")]
    [InlineData("--ip", "127.0.0.1")]
    [InlineData("--ip", "127.0.0.1", "--sender", "a@good.spf.test", "--bogus")]
    public async Task Spf_BadUsage_ExitsTwoWithOneLine(params string[] args)
    {
        var outcome = await RunAsync(args);

        Assert.Equal(ExitCodes.Usage, outcome.ExitCode);
        Assert.StartsWith("mailhealth: ", outcome.Error, StringComparison.Ordinal);
        Assert.Single(outcome.Error.Trim().Split('\n'));
        Assert.DoesNotContain("   at ", outcome.Error, StringComparison.Ordinal);
        Assert.Equal("", outcome.Output);
    }
}
