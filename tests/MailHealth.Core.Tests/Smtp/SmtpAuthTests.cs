using System.Text;
using MailHealth.Checks;
using MailHealth.Reports;
using MailHealth.Smtp;
using MailHealth.Targets;
using static MailHealth.Core.Tests.Smtp.SmtpPeers;

namespace MailHealth.Core.Tests.Smtp;

/// <summary>The authenticated-submission test with the Postfix SASL user, and that its secrets stay secret.</summary>
public sealed class SmtpAuthTests
{
    public static TheoryData<int> SubmissionPorts => [587, 465];

    [Theory]
    [MemberData(nameof(SubmissionPorts))]
    public async Task Probe_RightCredentials_AuthAcceptedNoFinding(int port)
    {
        var credentials = Credentials();
        var outcome = await ProbeAsync("good", Port(port), t => t with { Credentials = credentials });

        Assert.Empty(Problems(outcome));
        Assert.StartsWith("accepted: 235", (string)outcome.Result.Evidence["auth"]!, StringComparison.Ordinal);
        Assert.Contains("authMs", outcome.Result.Metrics.Keys);
        AssertNoSecret(outcome, credentials);
    }

    [Theory]
    [MemberData(nameof(SubmissionPorts))]
    public async Task Probe_WrongPassword_AuthFailed(int port)
    {
        var credentials = new SmtpCredentials(Credentials().UserName, "not-the-password-" + port);
        var outcome = await ProbeAsync("good", Port(port), t => t with { Credentials = credentials });

        Assert.Equal([(SmtpFindingCodes.AuthFailed, Severity.Critical)], Problems(outcome));
        Assert.Contains("535", outcome.Result.Findings[0].Message, StringComparison.Ordinal);
        Assert.StartsWith("refused: 535", (string)outcome.Result.Evidence["auth"]!, StringComparison.Ordinal);
        AssertNoSecret(outcome, credentials);
    }

    [Fact]
    public async Task Probe_CredentialsOnPlainTextSubmission_NeverSent()
    {
        var credentials = Credentials();
        var outcome = await ProbeAsync("notls", Port587, t => t with { Credentials = credentials });

        Assert.DoesNotContain(SmtpFindingCodes.AuthFailed, Codes(outcome));
        Assert.StartsWith("not attempted: the session is not encrypted", (string)outcome.Result.Evidence["auth"]!, StringComparison.Ordinal);
        Assert.DoesNotContain(Assert.IsAssignableFrom<IReadOnlyList<string>>(outcome.Result.Evidence["transcript"]),
            l => l.StartsWith("C: AUTH", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Probe_CredentialsOnPort25_NotTried()
    {
        var outcome = await ProbeAsync("good", Port25, t => t with { Credentials = Credentials() });

        Assert.DoesNotContain("auth", outcome.Result.Evidence.Keys);
        Assert.Empty(Problems(outcome));
    }

    [Fact]
    public async Task Probe_WithCredentials_ReportJsonHoldsNoSecret()
    {
        var credentials = Credentials();
        var outcome = await ProbeAsync("good", Port587, t => t with { Credentials = credentials });
        var report = new Report
        {
            Target = Testing.Peers.Target("good.smtp.test", t => t with { Credentials = credentials }),
            StartedAt = DateTimeOffset.UnixEpoch,
            FinishedAt = DateTimeOffset.UnixEpoch,
            Status = outcome.Result.Status,
            Checks = [outcome.Result],
        };

        var json = ReportJson.Serialize(report);

        Assert.Contains("AUTH PLAIN ***", json, StringComparison.Ordinal);
        Assert.DoesNotContain(credentials.Password, json, StringComparison.Ordinal);
        Assert.DoesNotContain(Plain(credentials), json, StringComparison.Ordinal);
    }

    private static void AssertNoSecret(SmtpProbeOutcome outcome, SmtpCredentials credentials)
    {
        var json = ReportJson.Serialize(outcome.Result);
        Assert.DoesNotContain(credentials.Password, json, StringComparison.Ordinal);
        Assert.DoesNotContain(Plain(credentials), json, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials.Password)), json, StringComparison.Ordinal);
    }

    /// <summary>The SASL PLAIN initial response (RFC 4616): what would leak if the AUTH line were logged.</summary>
    private static string Plain(SmtpCredentials credentials) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0{credentials.UserName}\0{credentials.Password}"));
}
