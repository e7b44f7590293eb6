using MailHealth.Checks;
using MailHealth.Dns;
using MailHealth.Network;
using MailHealth.Reports;
using MailHealth.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace MailHealth.Core.Tests.Checks;

/// <summary>The runner: one broken check never hides the others; the overall status is the worst.</summary>
public sealed class DomainCheckerTests
{
    private sealed class FixedCheck(string kind, Severity? severity) : ICheck
    {
        public string Kind => kind;

        public Task<IReadOnlyList<CheckResult>> RunAsync(CheckContext context, CancellationToken cancellationToken)
        {
            var result = context.Result(kind, kind, context.Target.Domain);
            if (severity is { } s)
            {
                result.Add("TEST_FINDING", s, "seen");
            }

            return Task.FromResult<IReadOnlyList<CheckResult>>([result.Build()]);
        }
    }

    private sealed class ThrowingCheck : ICheck
    {
        public string Kind => "broken";

        public Task<IReadOnlyList<CheckResult>> RunAsync(CheckContext context, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("boom");
    }

    private sealed class HangingCheck : ICheck
    {
        public string Kind => "hangs";

        public async Task<IReadOnlyList<CheckResult>> RunAsync(CheckContext context, CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return [];
        }
    }

    private static Task<Report> RunAsync(IReadOnlyList<ICheck> checks, CheckOptions? options = null, ILogger<DomainChecker>? logger = null) =>
        new DomainChecker(checks, CheckServices.Default, Peers.Resolver(), Options.Create(options ?? new CheckOptions()), NetworkLimiter.Unbounded, TimeProvider.System, logger ?? NullLogger<DomainChecker>.Instance)
            .RunAsync(Peers.Target("example.test"), CancellationToken.None);

    [Fact]
    public async Task Run_ThrowingCheck_BecomesErrorAndOthersStillReport()
    {
        var report = await RunAsync([new FixedCheck("first", null), new ThrowingCheck()]);

        Assert.Equal(CheckStatus.Pass, report.Checks.Single(c => c.Kind == "first").Status);
        var broken = report.Checks.Single(c => c.Kind == "broken");
        Assert.Equal(CheckStatus.Error, broken.Status);
        Assert.Contains("boom", broken.Error, StringComparison.Ordinal);
        Assert.Equal(CheckStatus.Error, report.Status);
    }

    [Fact]
    public async Task Run_ThrowingCheck_IsLoggedWithItsStack()
    {
        var logger = new CapturingLogger();

        await RunAsync([new ThrowingCheck()], logger: logger);

        var entry = Assert.Single(logger.Entries, e => e.EventId.Id == 1001);
        Assert.Equal(LogLevel.Error, entry.Level);
        Assert.IsType<InvalidOperationException>(entry.Exception);
        Assert.Contains("broken", entry.Message, StringComparison.Ordinal);
    }

    private sealed class CapturingLogger : ILogger<DomainChecker>
    {
        public List<(LogLevel Level, EventId EventId, string Message, Exception? Exception)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Entries)
            {
                Entries.Add((logLevel, eventId, formatter(state, exception), exception));
            }
        }
    }

    [Fact]
    public async Task Run_CheckPastTheDeadline_BecomesErrorInsteadOfHanging()
    {
        var report = await RunAsync([new HangingCheck(), new FixedCheck("quick", Severity.Warning)], new CheckOptions { RunDeadline = TimeSpan.FromMilliseconds(200) });

        Assert.Equal(CheckStatus.Error, report.Checks.Single(c => c.Kind == "hangs").Status);
        Assert.Equal(CheckStatus.Warn, report.Checks.Single(c => c.Kind == "quick").Status);
    }

    [Theory]
    [InlineData(null, null, CheckStatus.Pass)]
    [InlineData(Severity.Info, null, CheckStatus.Pass)]
    [InlineData(Severity.Warning, Severity.Info, CheckStatus.Warn)]
    [InlineData(Severity.Critical, Severity.Warning, CheckStatus.Fail)]
    public async Task Run_OverallStatus_IsTheWorstFinding(Severity? first, Severity? second, CheckStatus expected)
    {
        var report = await RunAsync([new FixedCheck("a", first), new FixedCheck("b", second)]);

        Assert.Equal(expected, report.Status);
        Assert.Equal(["a", "b"], report.Checks.Select(c => c.Kind));
    }

    [Fact]
    public void Overall_FailOutranksError()
    {
        var time = new FakeTimeProvider();
        var failed = new CheckResultBuilder("a", "a", "s", time).Add("X_Y", Severity.Critical, "bad").Build();
        var errored = new CheckResultBuilder("b", "b", "s", time).MarkError("no answer").Build();

        Assert.Equal(CheckStatus.Fail, Report.Overall([errored, failed]));
        Assert.Equal(CheckStatus.Error, Report.Overall([errored]));
    }

    [Fact]
    public void Builder_DurationComesFromTheInjectedClock()
    {
        var time = new FakeTimeProvider();
        var builder = new CheckResultBuilder("a", "a", "s", time);

        time.Advance(TimeSpan.FromMilliseconds(1234));

        Assert.Equal(1234, builder.Build().DurationMs);
    }

    [Fact]
    public void Builder_ErrorWinsOverFindingsAndKeepsThem()
    {
        var result = new CheckResultBuilder("a", "a", "s", new FakeTimeProvider())
            .Add("DNS_TIMEOUT", Severity.Warning, "no answer")
            .MarkError("timed out")
            .Build();

        Assert.Equal(CheckStatus.Error, result.Status);
        Assert.Single(result.Findings);
        Assert.Equal("timed out", result.Error);
    }

    [Fact]
    public void Builder_LookupFailure_IsDnsFindingAndError()
    {
        var builder = new CheckResultBuilder("a", "a", "s", new FakeTimeProvider());
        var timedOut = new DnsAnswer("example.test", "TXT", DnsOutcome.Timeout, [], Error: "timed out");

        Assert.True(builder.AddLookupFailure(timedOut, "the TXT lookup failed"));

        var result = builder.Build();
        var finding = Assert.Single(result.Findings);
        Assert.Equal(DnsFindingCodes.Timeout, finding.Code);
        Assert.Equal("the TXT lookup failed: TXT example.test: no answer in time", finding.Message);
        Assert.Equal(CheckStatus.Error, result.Status);
    }

    [Theory]
    [InlineData(DnsOutcome.ServerFailure, true)]
    [InlineData(DnsOutcome.Failure, false)]
    [InlineData(DnsOutcome.Timeout, false)]
    public void Builder_ServerFailure_PointsToTheDnssecCheck(DnsOutcome outcome, bool pointed)
    {
        // A validating resolver's SERVFAIL is also what a bogus DNSSEC chain looks like.
        var builder = new CheckResultBuilder("a", "a", "s", new FakeTimeProvider());

        builder.AddLookupFailure(new DnsAnswer("example.test", "TXT", outcome, [], Error: "failed"), "the TXT lookup failed");

        Assert.Equal(pointed, Assert.Single(builder.Build().Findings).Message.Contains("the dnssec check says whether", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(DnsOutcome.Success)]
    [InlineData(DnsOutcome.NoData)]
    [InlineData(DnsOutcome.NxDomain)]
    public void Builder_AnsweredLookup_IsNoFailure(DnsOutcome outcome)
    {
        var builder = new CheckResultBuilder("a", "a", "s", new FakeTimeProvider());

        Assert.False(builder.AddLookupFailure(new DnsAnswer("example.test", "TXT", outcome, []), "the TXT lookup failed"));

        Assert.Equal(CheckStatus.Pass, builder.Build().Status);
        Assert.Empty(builder.Findings);
    }
}
