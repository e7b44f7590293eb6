using System.Text;
using MailHealth.Checks;
using MailHealth.Smtp;

namespace MailHealth.Core.Tests.Smtp;

/// <summary>The protocol logger: replies parsed as they come, secrets never kept.</summary>
public sealed class SmtpTranscriptTests
{
    private static void Server(SmtpTranscript transcript, string text) =>
        transcript.LogServer(Encoding.ASCII.GetBytes(text), 0, text.Length);

    private static void Client(SmtpTranscript transcript, string text) =>
        transcript.LogClient(Encoding.ASCII.GetBytes(text), 0, text.Length);

    [Fact]
    public void Log_AuthLoginDialogue_KeepsOnlyTheMechanism()
    {
        using var timer = new SmtpStageTimer(TimeProvider.System);
        var transcript = new SmtpTranscript(TimeProvider.System, timer, new CheckOptions());
        transcript.BeginGreeting(encrypted: true);
        Server(transcript, "220 mx ESMTP\r\n");
        Client(transcript, "AUTH PLAIN AHVzZXIAc2VjcmV0\r\n");
        Server(transcript, "535 5.7.8 no\r\n");
        Client(transcript, "AUTH LOGIN\r\n");
        Server(transcript, "334 VXNlcm5hbWU6\r\n");
        Client(transcript, "dXNlcg==\r\n");
        Server(transcript, "334 UGFzc3dvcmQ6\r\n");
        Client(transcript, "c2VjcmV0\r\n");
        Server(transcript, "235 2.7.0 ok\r\n");
        Client(transcript, "QUIT\r\n");

        var lines = transcript.Lines();

        Assert.Equal(
            ["S: 220 mx ESMTP", "C: AUTH PLAIN ***", "S: 535 5.7.8 no", "C: AUTH LOGIN", "S: 334 VXNlcm5hbWU6", "C: ***",
             "S: 334 UGFzc3dvcmQ6", "C: ***", "S: 235 2.7.0 ok", "C: QUIT"],
            lines);
        Assert.Equal(SmtpStage.Quit, timer.Stage);
    }

    [Fact]
    public void Log_ReplySplitAcrossReads_OneExchangeWithTheWholeReply()
    {
        using var timer = new SmtpStageTimer(TimeProvider.System);
        var transcript = new SmtpTranscript(TimeProvider.System, timer, new CheckOptions());
        transcript.BeginGreeting(encrypted: false);
        Server(transcript, "220 mx ESMTP\r\n");
        Client(transcript, "EHLO probe\r\n");
        Server(transcript, "250-mx\r\n250-STA");
        Server(transcript, "RTTLS\r\n250 8BITMIME\r\n");

        var ehlo = transcript.Exchanges[1];

        Assert.Equal(["250-mx", "250-STARTTLS", "250 8BITMIME"], ehlo.Reply);
        Assert.True(ehlo.Complete);
        Assert.Equal(250, ehlo.Code);
        Assert.Equal(SmtpStage.Ehlo, ehlo.Stage);
    }
}
