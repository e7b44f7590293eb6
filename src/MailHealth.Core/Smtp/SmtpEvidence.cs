using System.Net.Security;
using System.Security.Authentication;
using MailHealth.Checks;

namespace MailHealth.Smtp;

/// <summary>Writes what a probe saw into its result: stage timings as metrics, the server's words as evidence.</summary>
internal static class SmtpEvidence
{
    /// <summary>Evidence key: true when the TCP connect succeeded. Set on every probe that tried to connect.</summary>
    public const string Connected = "connected";

    /// <summary>Evidence key: true when the TCP connect got no answer in time (not when our run was cancelled).</summary>
    public const string ConnectTimedOut = "connectTimedOut";

    internal static void Write(SmtpObservation seen, CheckResultBuilder result)
    {
        result.Evidence(Connected, seen.Address is not null);
        result.Evidence(ConnectTimedOut, TimedOut(seen));
        foreach (var (name, ms) in seen.Timings)
        {
            result.Metric(name, Math.Round(ms, 1));
        }

        if (seen.Certificate is { } certificate)
        {
            result.Metric("certDaysLeft", certificate.DaysLeft);
            result.Evidence("certificate", certificate.ToEvidence());
        }

        result.Evidence("role", seen.Role.ToString().ToLowerInvariant());
        result.Evidence("connectAttempts", seen.ConnectAttempts);
        if (seen.Address is { } address)
        {
            result.Evidence("address", address.ToString());
        }

        Put(result, "greeting", seen.Greeting);
        Put(result, "greetingHostname", seen.GreetingHostname);
        Put(result, "ehlo", seen.Ehlo);
        Put(result, "starttls", seen.StartTlsReply);
        Put(result, "ehloAfterTls", seen.EhloAfterTls);
        if (seen.Ehlo is not null)
        {
            result.Evidence("authMechanisms", SmtpObservation.AuthMechanisms(seen.Ehlo));
        }

        if (seen.EhloAfterTls is not null)
        {
            result.Evidence("authMechanismsAfterTls", SmtpObservation.AuthMechanisms(seen.EhloAfterTls));
        }

        if (seen.TlsEstablished)
        {
            result.Evidence("tls", new Dictionary<string, object?>
            {
                ["mode"] = seen.ImplicitTls ? "implicit" : "starttls",
                ["protocol"] = seen.TlsProtocol is { } protocol ? ProtocolName(protocol) : null,
                ["cipherSuite"] = seen.CipherSuite is { } suite ? CipherName(suite) : null,
            });
        }

        if (seen.AuthSucceeded is { } succeeded)
        {
            result.Evidence("auth", succeeded ? $"accepted: {seen.AuthReply}" : $"refused: {seen.AuthReply}");
        }
        else if (seen.AuthNotAttempted is { } why)
        {
            result.Evidence("auth", $"not attempted: {why}");
        }

        if (seen.RelayMailReply is not null)
        {
            result.Evidence("relayTest", new Dictionary<string, object?>
            {
                ["mailFrom"] = seen.RelayMailReply,
                ["rcptTo"] = seen.RelayRcptReply,
                ["accepted"] = seen.RelayAccepted,
            });
        }

        if (seen.Failure is { } failure)
        {
            result.Evidence("failure", new Dictionary<string, object?>
            {
                ["stage"] = SmtpConversation.Describe(failure.Stage),
                ["kind"] = failure.Kind.ToString().ToLowerInvariant(),
                ["message"] = failure.Message,
            });
        }

        if (seen.Transcript.Count > 0)
        {
            result.Evidence("transcript", seen.Transcript);
        }
    }

    public static string ProtocolName(SslProtocols protocol) => protocol switch
    {
        SslProtocols.Tls13 => "TLSv1.3",
        SslProtocols.Tls12 => "TLSv1.2",
        (SslProtocols)0x0300 => "TLSv1.1",
        (SslProtocols)0x00C0 => "TLSv1",
        _ => protocol.ToString(),
    };

    private static string CipherName(TlsCipherSuite suite) => suite.ToString();

    private static void Put(CheckResultBuilder result, string name, object? value)
    {
        if (value is not null)
        {
            result.Evidence(name, value);
        }
    }

    /// <summary>The connect itself timed out: a dropped SYN, not our run ending first.</summary>
    internal static bool TimedOut(SmtpObservation seen) => seen.ConnectFailure == SmtpConnectFailure.TimedOut && seen.Cancelled is null;
}
