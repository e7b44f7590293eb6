using MailHealth.Checks;
using MailHealth.Smtp;
using MailHealth.Targets;
using MailHealth.Testing.Servers;
using static MailHealth.Core.Tests.Smtp.SmtpPeers;

namespace MailHealth.Core.Tests.Smtp;

/// <summary>
/// Servers that misbehave: each probe ends by its (short) deadlines with one clear finding and
/// never throws. Deadlines are shortened so the finding logic is tested, not the wall clock.
/// </summary>
public sealed class SmtpHostileServerTests
{
    // Only the stage a test is about gets a short deadline; the others are long, so a loaded
    // machine (the whole suite runs in parallel on two cores) cannot turn a prompt server reply
    // into a timeout at an earlier stage.
    private static readonly TimeSpan Short = TimeSpan.FromSeconds(1.5);
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(10);

    // The SMTP command stage under test (EHLO, STARTTLS replies).
    private static CheckOptions QuickCommand(CheckOptions o) => new()
    {
        ExtraTrustRoots = o.ExtraTrustRoots,
        HeloName = o.HeloName,
        AllowedNetworks = o.AllowedNetworks,
        ConnectTimeout = Long,
        GreetingTimeout = Long,
        CommandTimeout = Short,
        TlsTimeout = Long,
        ProbeDeadline = TimeSpan.FromSeconds(30),
    };

    // The TLS handshake under test (after STARTTLS, or implicit on 465).
    private static CheckOptions QuickTls(CheckOptions o) => new()
    {
        ExtraTrustRoots = o.ExtraTrustRoots,
        HeloName = o.HeloName,
        AllowedNetworks = o.AllowedNetworks,
        ConnectTimeout = Long,
        GreetingTimeout = Long,
        CommandTimeout = Long,
        TlsTimeout = Short,
        ProbeDeadline = TimeSpan.FromSeconds(30),
    };

    private static CheckOptions QuickGreeting(CheckOptions o) => new()
    {
        ExtraTrustRoots = o.ExtraTrustRoots,
        HeloName = o.HeloName,
        AllowedNetworks = o.AllowedNetworks,
        ConnectTimeout = Long,
        GreetingTimeout = Short,
        CommandTimeout = Long,
        TlsTimeout = Long,
        ProbeDeadline = TimeSpan.FromSeconds(30),
    };

    private static CheckOptions QuickConnect(CheckOptions o) => new()
    {
        ExtraTrustRoots = o.ExtraTrustRoots,
        HeloName = o.HeloName,
        AllowedNetworks = o.AllowedNetworks,
        ConnectTimeout = Short,
        GreetingTimeout = Long,
        CommandTimeout = Long,
        TlsTimeout = Long,
        ProbeDeadline = TimeSpan.FromSeconds(30),
    };

    [Fact]
    public async Task Probe_QuitReplyHeld_JudgedOnceQuitIsSent_SessionClosesAfterTheReply()
    {
        var release = new TaskCompletionSource();
        var quitRead = new TaskCompletionSource();
        var hungUpBeforeReply = new TaskCompletionSource<bool>();
        await using var server = HostileSmtpServers.QuitReplyHeld(release.Task, quitRead, hungUpBeforeReply);

        // The reply to QUIT is awaited for the command timeout: long, so only the server decides here.
        var outcome = await ProbeAsync(server, SmtpRole.Smtp, o => new CheckOptions
        {
            ExtraTrustRoots = o.ExtraTrustRoots,
            HeloName = o.HeloName,
            AllowedNetworks = o.AllowedNetworks,
            CommandTimeout = TimeSpan.FromSeconds(60),
            ProbeDeadline = TimeSpan.FromSeconds(90),
        });

        // Judged while the server still holds its reply: the transcript ends with QUIT.
        var transcript = Assert.IsAssignableFrom<IReadOnlyList<string>>(outcome.Result.Evidence["transcript"]);
        Assert.Equal("C: QUIT", transcript[^1]);
        await quitRead.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var closed = SmtpClosings.Shared.DrainAsync();
        Assert.False(closed.IsCompleted);

        // RFC 5321 section 4.1.1.10: the session waits for the reply before it hangs up.
        release.SetResult();
        Assert.False(await hungUpBeforeReply.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        await closed.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Probe_SilentServer_GreetingInvalidAfterGreetingTimeout()
    {
        await using var server = HostileSmtpServers.Silent();

        var outcome = await ProbeAsync(server, SmtpRole.Smtp, QuickGreeting);

        Assert.Equal([(SmtpFindingCodes.GreetingInvalid, Severity.Critical)], Problems(outcome));
        Assert.Contains("no greeting", outcome.Result.Findings[0].Message, StringComparison.Ordinal);
        Assert.Equal(CheckStatus.Fail, outcome.Result.Status);
        Assert.Equal(server.Address, outcome.Address);
    }

    [Fact]
    public async Task Probe_SilentServerShortProbeDeadline_EndsAtTheProbeDeadline()
    {
        await using var server = HostileSmtpServers.Silent();

        var outcome = await ProbeAsync(server, SmtpRole.Smtp, o => new CheckOptions
        {
            HeloName = o.HeloName,
            AllowedNetworks = o.AllowedNetworks,
            GreetingTimeout = TimeSpan.FromMinutes(5),
            ProbeDeadline = Short,
        });

        var finding = Assert.Single(outcome.Result.Findings);
        Assert.Equal(SmtpFindingCodes.GreetingInvalid, finding.Code);
        Assert.Contains("deadline", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_SlowGreeting_GreetingSlowWarningAndTheSessionGoesOn()
    {
        await using var server = HostileSmtpServers.SlowGreeting(TimeSpan.FromSeconds(1));

        var outcome = await ProbeAsync(server, SmtpRole.Smtp, o => new CheckOptions
        {
            HeloName = o.HeloName,
            AllowedNetworks = o.AllowedNetworks,
            GreetingSlowThreshold = TimeSpan.FromMilliseconds(200),
            GreetingTimeout = TimeSpan.FromSeconds(5),
        });

        Assert.Contains((SmtpFindingCodes.GreetingSlow, Severity.Warning), Problems(outcome));
        Assert.DoesNotContain(SmtpFindingCodes.GreetingInvalid, Codes(outcome));
        // The server offers no STARTTLS: the session went on past the slow greeting to see that.
        Assert.Contains(SmtpFindingCodes.StartTlsMissing, Codes(outcome));
        Assert.True(outcome.Result.Metrics["greetingMs"] > 200);
    }

    [Fact]
    public async Task Probe_SlowGreetingUnderThreshold_NoGreetingSlow()
    {
        await using var server = HostileSmtpServers.SlowGreeting(TimeSpan.FromMilliseconds(50));

        var outcome = await ProbeAsync(server, SmtpRole.Smtp);

        Assert.DoesNotContain(SmtpFindingCodes.GreetingSlow, Codes(outcome));
        Assert.Equal([(SmtpFindingCodes.StartTlsMissing, Severity.Warning)], Problems(outcome));
    }

    [Fact]
    public async Task Probe_554Greeting_GreetingInvalidWithTheReply()
    {
        await using var server = HostileSmtpServers.Greeting554();

        var outcome = await ProbeAsync(server, SmtpRole.Smtp, QuickGreeting);

        Assert.Equal([(SmtpFindingCodes.GreetingInvalid, Severity.Critical)], Problems(outcome));
        Assert.Contains("554 5.3.2 no SMTP service here", outcome.Result.Findings[0].Message, StringComparison.Ordinal);
        Assert.Null(outcome.GreetingHostname);
    }

    [Fact]
    public async Task Probe_GarbageGreeting_GreetingInvalid()
    {
        await using var server = HostileSmtpServers.Garbage();

        var outcome = await ProbeAsync(server, SmtpRole.Smtp, QuickGreeting);

        Assert.Equal([(SmtpFindingCodes.GreetingInvalid, Severity.Critical)], Problems(outcome));
    }

    [Fact]
    public async Task Probe_GarbageAfterEhlo_ProtocolError()
    {
        await using var server = HostileSmtpServers.GarbageAfterEhlo();

        var outcome = await ProbeAsync(server, SmtpRole.Smtp, QuickCommand);

        Assert.Equal([(SmtpFindingCodes.ProtocolError, Severity.Critical)], Problems(outcome));
    }

    [Fact]
    public async Task Probe_MegabyteGreetingLine_GreetingInvalidLineTooLong()
    {
        await using var server = HostileSmtpServers.HugeLine();

        var outcome = await ProbeAsync(server, SmtpRole.Smtp, QuickGreeting);

        Assert.Equal([(SmtpFindingCodes.GreetingInvalid, Severity.Critical)], Problems(outcome));
        Assert.Contains("longer than", outcome.Result.Findings[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_MegabyteEhloLine_ProtocolError()
    {
        await using var server = HostileSmtpServers.HugeLineAfterEhlo();

        var outcome = await ProbeAsync(server, SmtpRole.Submission, QuickCommand);

        Assert.Equal([(SmtpFindingCodes.ProtocolError, Severity.Critical)], Problems(outcome));
        Assert.Contains("longer than", outcome.Result.Findings[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_SilenceAfterEhlo_SmtpTimeout()
    {
        await using var server = HostileSmtpServers.StallAfterEhlo();

        var outcome = await ProbeAsync(server, SmtpRole.Smtp, QuickCommand);

        Assert.Equal([(SmtpFindingCodes.Timeout, Severity.Critical)], Problems(outcome));
        Assert.Contains("EHLO", outcome.Result.Findings[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_CloseAfterEhlo_ProtocolError()
    {
        await using var server = HostileSmtpServers.CloseAfterEhlo();

        var outcome = await ProbeAsync(server, SmtpRole.Smtp, QuickCommand);

        Assert.Equal([(SmtpFindingCodes.ProtocolError, Severity.Critical)], Problems(outcome));
        Assert.Equal(CheckStatus.Fail, outcome.Result.Status);
    }

    [Fact]
    public async Task Probe_StartTlsRefused_StartTlsFailed()
    {
        await using var server = HostileSmtpServers.StartTlsRefused();

        var outcome = await ProbeAsync(server, SmtpRole.Submission, QuickCommand);

        Assert.Equal([(SmtpFindingCodes.StartTlsFailed, Severity.Critical)], Problems(outcome));
        Assert.Contains("454", outcome.Result.Findings[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_HandshakeCutAfterStartTls_StartTlsFailed()
    {
        await using var server = HostileSmtpServers.TlsCutAfterStartTls();

        var outcome = await ProbeAsync(server, SmtpRole.Smtp, QuickTls);

        Assert.Equal([(SmtpFindingCodes.StartTlsFailed, Severity.Critical)], Problems(outcome));
        Assert.False(outcome.TlsEstablished);
    }

    [Fact]
    public async Task Probe_HandshakeStalledAfterStartTls_StartTlsFailedAtTheTlsDeadline()
    {
        await using var server = HostileSmtpServers.TlsCutAfterStartTls(stall: true);

        var outcome = await ProbeAsync(server, SmtpRole.Submission, QuickTls);

        Assert.Equal([(SmtpFindingCodes.StartTlsFailed, Severity.Critical)], Problems(outcome));
        Assert.Contains("no answer within", outcome.Result.Findings[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_EndlessEhloReply_ProtocolErrorAfterAMegabyte()
    {
        await using var server = HostileSmtpServers.EndlessEhloReply();

        // Deadlines long enough that the byte limit, not a timer, ends the probe.
        var outcome = await ProbeAsync(server, SmtpRole.Smtp, o => new CheckOptions
        {
            HeloName = o.HeloName,
            AllowedNetworks = o.AllowedNetworks,
            CommandTimeout = TimeSpan.FromSeconds(10),
            ProbeDeadline = TimeSpan.FromSeconds(20),
        });

        Assert.Equal([(SmtpFindingCodes.ProtocolError, Severity.Critical)], Problems(outcome));
        Assert.Contains("more than", outcome.Result.Findings[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_ImplicitTlsCut_ImplicitTlsFailed()
    {
        await using var server = HostileSmtpServers.TlsCutImplicit();

        var outcome = await ProbeAsync(server, SmtpRole.Submissions, QuickTls);

        Assert.Equal([(SmtpFindingCodes.ImplicitTlsFailed, Severity.Critical)], Problems(outcome));
    }

    [Fact]
    public async Task Probe_ImplicitTlsStalled_ImplicitTlsFailedAtTheTlsDeadline()
    {
        await using var server = HostileSmtpServers.TlsStallImplicit();

        var outcome = await ProbeAsync(server, SmtpRole.Submissions, QuickTls);

        Assert.Equal([(SmtpFindingCodes.ImplicitTlsFailed, Severity.Critical)], Problems(outcome));
        Assert.Contains("no answer within", outcome.Result.Findings[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_ConnectNeverCompletes_ConnectTimeoutAndConnectTimedOut()
    {
        using var port = new BacklogFullListener();
        var host = new MailHost("hostile.smtp.test", null, [port.EndPoint.Address]);

        var outcome = await ProbeAsync(host, new PortSpec(port.Port, SmtpRole.Smtp), "hostile.smtp.test", options: QuickConnect);

        Assert.Equal([(SmtpFindingCodes.ConnectTimeout, Severity.Critical)], Problems(outcome));
        Assert.True(outcome.ConnectTimedOut);
        Assert.Null(outcome.Address);
    }

    [Fact]
    public async Task Probe_GoodHost_NoConnectTimeoutNorTimeoutCodes()
    {
        var outcome = await ProbeAsync("good", Port25);

        Assert.DoesNotContain(SmtpFindingCodes.ConnectTimeout, Codes(outcome));
        Assert.DoesNotContain(SmtpFindingCodes.Timeout, Codes(outcome));
        Assert.DoesNotContain(SmtpFindingCodes.ProtocolError, Codes(outcome));
        Assert.DoesNotContain(SmtpFindingCodes.GreetingSlow, Codes(outcome));
        Assert.False(outcome.ConnectTimedOut);
    }

    [Fact]
    public async Task Probe_RunCancelled_ErrorNotFail()
    {
        await using var server = HostileSmtpServers.Silent();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var outcome = await ProbeAsync(server, SmtpRole.Smtp, o => new CheckOptions { HeloName = o.HeloName, AllowedNetworks = o.AllowedNetworks }, cancel.Token);

        Assert.Equal(CheckStatus.Error, outcome.Result.Status);
        Assert.Empty(outcome.Result.Findings);
    }
}
