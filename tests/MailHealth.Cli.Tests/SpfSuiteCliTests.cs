using System.Collections.Concurrent;
using System.Text.Json;
using MailHealth.Testing.Dns;
using MailHealth.Testing.Spf;

namespace MailHealth.Cli.Tests;

/// <summary>
/// The public RFC 7208 test suite through the command line (<c>mailhealth spf --json</c>), each
/// scenario's zone served by a <see cref="ScriptedDnsServer"/>: proves that every input a receiver
/// can see reaches the evaluator (issue 10, defects 2 and 3), not only that the evaluator is right.
/// </summary>
public sealed class SpfSuiteCliTests
{
    // Scenarios wait on DNS timeouts (the suite's TIMEOUT names): several at a time.
    private const int Parallel = 8;

    [Fact]
    public async Task Spf_EverySuiteScenario_GivesTheExpectedResultThroughTheCommandLine()
    {
        var scenarios = SpfSuite.Scenarios.Values.ToList();
        Assert.True(scenarios.Count > 0, $"the RFC 7208 test suite is missing: run eng/peers/spf-suite.sh (expected at {SpfSuite.FilePath})");
        var failures = new ConcurrentBag<string>();
        using var gate = new SemaphoreSlim(Parallel);

        await Task.WhenAll(scenarios.Select(async scenario =>
        {
            await gate.WaitAsync();
            try
            {
                if (await RunScenarioAsync(scenario) is { } failure)
                {
                    failures.Add(failure);
                }
            }
            finally
            {
                gate.Release();
            }
        }));

        Assert.True(failures.IsEmpty, $"{failures.Count} of {scenarios.Count} scenarios failed:\n" + string.Join("\n", failures.Order(StringComparer.Ordinal)));
    }

    private static async Task<string?> RunScenarioAsync(SpfSuiteScenario scenario)
    {
        await using var server = ScriptedDnsServer.Start(scenario.Zone);
        string[] args =
        [
            "spf", "--ip", scenario.Host, "--sender", scenario.MailFrom, "--dns", $"{server.EndPoint.Address}:{server.EndPoint.Port}", "--json",
            .. scenario.Helo.Length > 0 ? new[] { "--helo", scenario.Helo } : [],
        ];
        var outcome = await CliRunner.RunAsync(args);
        if (outcome.ExitCode != ExitCodes.Ok)
        {
            return $"{scenario.Id}: exit {outcome.ExitCode}: {outcome.Error.Trim()}";
        }

        using var json = JsonDocument.Parse(outcome.Output);
        var result = json.RootElement.GetProperty("result").GetString()!;
        if (!scenario.Results.Contains(result))
        {
            return $"{scenario.Id}: expected {string.Join(" or ", scenario.Results)}, got {result} ({json.RootElement.GetProperty("reason")})";
        }

        var explanation = json.RootElement.GetProperty("explanation").GetString();
        return scenario.Explanation is { } expected && expected != "DEFAULT" && result == "fail"
            && !string.Equals(expected, explanation, StringComparison.OrdinalIgnoreCase)
            ? $"{scenario.Id}: explanation '{explanation}', expected '{expected}'"
            : null;
    }
}
