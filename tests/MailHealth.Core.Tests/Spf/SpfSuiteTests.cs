using System.Net;
using MailHealth.Dns;
using MailHealth.Spf;
using MailHealth.Testing.Dns;
using MailHealth.Testing.Spf;

namespace MailHealth.Core.Tests.Spf;

/// <summary>
/// Every scenario of the public RFC 7208 test suite, its zone data served over the wire by a
/// <see cref="ScriptedDnsServer"/> and asked through the product's <see cref="DnsResolver"/>.
/// </summary>
public sealed class SpfSuiteTests
{
    public static TheoryData<string> Scenarios()
    {
        var data = new TheoryData<string>();
        foreach (var id in SpfSuite.Scenarios.Keys.Order(StringComparer.Ordinal))
        {
            data.Add(id);
        }

        if (data.Count == 0)
        {
            // Without the suite the theory must fail loudly, not pass on nothing.
            data.Add("(missing)");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task CheckHost_SuiteScenario_GivesTheExpectedResult(string id)
    {
        Assert.True(SpfSuite.Scenarios.ContainsKey(id), $"the RFC 7208 test suite is missing: run eng/peers/spf-suite.sh (expected at {SpfSuite.FilePath})");
        var scenario = SpfSuite.Scenarios[id];
        await using var server = ScriptedDnsServer.Start(scenario.Zone);
        var evaluator = new SpfEvaluator(server.Resolver(TimeSpan.FromSeconds(2)), TimeProvider.System);

        var evaluation = await evaluator.CheckHostAsync(new SpfRequest(IPAddress.Parse(scenario.Host), scenario.MailFrom, scenario.Helo));

        var trace = string.Join("\n", evaluation.Trace.Select(t => $"{new string(' ', t.Depth * 2)}[{t.Kind}] {t.Text}"));
        Assert.True(
            scenario.Results.Contains(evaluation.Result.Name()),
            $"expected {string.Join(" or ", scenario.Results)}, got {evaluation.Result.Name()} ({evaluation.Reason})\n{trace}");
        if (scenario.Explanation is { } expected && expected != "DEFAULT" && evaluation.Result == SpfResult.Fail)
        {
            // Case is not compared: the suite writes %{i} nibbles of IPv6 in upper case, the
            // example of RFC 7208 section 7.4 (which the evaluator follows) in lower case.
            Assert.Equal(expected, evaluation.Explanation, ignoreCase: true);
        }
    }
}
