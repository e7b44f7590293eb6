using System.Security.Authentication;
using MailHealth.Checks;
using MailHealth.Targets;

namespace MailHealth.Smtp;

/// <summary>
/// Turns what a probe saw into findings, with the severities of docs/findings.md: what matters on a
/// relay port (25, where senders fall back to plain text) weighs less than on a submission port
/// (587/465, where users' passwords travel).
/// </summary>
internal static class SmtpFindingRules
{
    public static void Apply(SmtpObservation seen, CheckOptions options, CheckResultBuilder result)
    {
        if (seen.Cancelled is { } cancelled)
        {
            result.MarkError(cancelled);
            return;
        }

        if (seen.ConnectFailure is { } connect)
        {
            Connect(seen, connect, options, result);
            return;
        }

        if (seen.Timings.TryGetValue("greetingMs", out var greetingMs) && greetingMs > options.GreetingSlowThreshold.TotalMilliseconds)
        {
            result.Add(SmtpFindingCodes.GreetingSlow, Severity.Warning,
                $"the greeting came after {SmtpConversation.Seconds(TimeSpan.FromMilliseconds(greetingMs))} (threshold {SmtpConversation.Seconds(options.GreetingSlowThreshold)}); senders may give up",
                Evidence(("greeting", seen.Greeting), ("greetingMs", Math.Round(greetingMs))));
        }

        if (seen.Failure is { } failure)
        {
            Failure(seen, failure, result);
        }

        Plaintext(seen, result);
        if (seen.TlsEstablished)
        {
            Tls(seen, options, result);
        }

        if (seen.AuthSucceeded == false)
        {
            result.Add(SmtpFindingCodes.AuthFailed, Severity.Critical,
                $"the configured credentials were refused: {seen.AuthReply}; mail submitted with them will not be sent",
                Evidence(("reply", seen.AuthReply)));
        }

        if (seen.RelayAccepted == true)
        {
            result.Add(SmtpFindingCodes.OpenRelay, Severity.Critical,
                $"open relay: RCPT to a foreign domain was accepted without AUTH ({seen.RelayRcptReply}); spammers will use this host and blocklists will follow",
                Evidence(("mailFrom", seen.RelayMailReply), ("rcptTo", seen.RelayRcptReply)));
        }
    }

    private static void Connect(SmtpObservation seen, SmtpConnectFailure failure, CheckOptions options, CheckResultBuilder result)
    {
        var attempts = Evidence(("attempts", seen.ConnectAttempts));
        switch (failure)
        {
            case SmtpConnectFailure.Refused:
                result.Add(SmtpFindingCodes.ConnectRefused, Severity.Critical,
                    $"connection refused: nothing listens on port {Port(seen)} ({string.Join("; ", seen.ConnectAttempts)})", attempts);
                break;
            case SmtpConnectFailure.TimedOut:
                result.Add(SmtpFindingCodes.ConnectTimeout, Severity.Critical,
                    $"no answer to the TCP connect within {SmtpConversation.Seconds(options.ConnectTimeout)}: a firewall drops the traffic or the host is down", attempts);
                break;
            case SmtpConnectFailure.NotAllowed:
                // We refused to look: that says nothing of the server (docs/address-policy.md).
                result.MarkError($"not probed: the address policy refuses every address ({string.Join("; ", seen.ConnectAttempts)})");
                break;
            default:
                result.MarkError($"could not connect from here: {string.Join("; ", seen.ConnectAttempts)}");
                break;
        }
    }

    private static void Failure(SmtpObservation seen, SmtpFailure failure, CheckResultBuilder result)
    {
        var evidence = Evidence(("stage", SmtpConversation.Describe(failure.Stage)), ("reply", failure.Reply));
        switch (failure.Stage)
        {
            case SmtpStage.TlsHandshake when seen.ImplicitTls:
                result.Add(SmtpFindingCodes.ImplicitTlsFailed, Severity.Critical,
                    $"port {Port(seen)} does not complete a TLS handshake (RFC 8314 implicit TLS): {failure.Message}", evidence);
                break;
            case SmtpStage.TlsHandshake:
                result.Add(SmtpFindingCodes.StartTlsFailed, Severity.Critical,
                    $"STARTTLS was accepted but the TLS handshake failed: {failure.Message}", evidence);
                break;
            case SmtpStage.Greeting:
                var what = failure.Kind switch
                {
                    SmtpFailureKind.Timeout => $"no greeting: {failure.Message}",
                    SmtpFailureKind.Rejected => $"the server greets with a refusal instead of 220: {failure.Reply}",
                    _ => $"no valid 220 greeting: {failure.Message}",
                };
                result.Add(SmtpFindingCodes.GreetingInvalid, Severity.Critical, what,
                    Evidence(("greeting", seen.Greeting), ("reason", failure.Message), ("reply", failure.Reply)));
                break;
            case SmtpStage.Ehlo or SmtpStage.EhloAfterTls when failure.Kind == SmtpFailureKind.Rejected:
                result.Add(SmtpFindingCodes.EhloRejected, Severity.Critical,
                    $"EHLO and HELO were refused: {failure.Reply}", evidence);
                break;
            case SmtpStage.StartTls when failure.Kind == SmtpFailureKind.Rejected:
                result.Add(SmtpFindingCodes.StartTlsFailed, Severity.Critical,
                    $"STARTTLS is offered but refused: {failure.Reply}", evidence);
                break;
            default:
                if (failure.Kind == SmtpFailureKind.Timeout)
                {
                    result.Add(SmtpFindingCodes.Timeout, Severity.Critical, $"the server stopped answering: {failure.Message}", evidence);
                }
                else
                {
                    result.Add(SmtpFindingCodes.ProtocolError, Severity.Critical, $"the SMTP session broke: {failure.Message}", evidence);
                }

                break;
        }
    }

    /// <summary>What the unencrypted EHLO says (RFC 3207 for STARTTLS, RFC 4954 section 4 for AUTH).</summary>
    private static void Plaintext(SmtpObservation seen, CheckResultBuilder result)
    {
        if (seen.Ehlo is not { } ehlo)
        {
            return;
        }

        if (seen.Role != SmtpRole.Submissions && !seen.StartTlsOffered)
        {
            var severity = seen.Role == SmtpRole.Submission ? Severity.Critical : Severity.Warning;
            var why = seen.Role == SmtpRole.Submission
                ? "users' passwords and mail would travel in clear (RFC 8314 section 3.3 requires TLS for submission)"
                : "mail from other servers travels in clear";
            result.Add(SmtpFindingCodes.StartTlsMissing, severity, $"STARTTLS is not offered: {why}", Evidence(("ehlo", ehlo)));
        }

        var mechanisms = SmtpObservation.AuthMechanisms(ehlo);
        if (mechanisms.Count > 0)
        {
            result.Add(SmtpFindingCodes.AuthBeforeTls, Severity.Critical,
                $"AUTH ({string.Join(' ', mechanisms)}) is offered before TLS: clients may send passwords in clear",
                Evidence(("ehlo", ehlo)));
        }
    }

    private static void Tls(SmtpObservation seen, CheckOptions options, CheckResultBuilder result)
    {
        if (seen.TlsProtocol is { } protocol && protocol is not (SslProtocols.Tls12 or SslProtocols.Tls13))
        {
            result.Add(SmtpFindingCodes.TlsProtocolWeak, Severity.Warning,
                $"the best protocol negotiated is {SmtpEvidence.ProtocolName(protocol)}, below TLS 1.2 (RFC 8996 deprecates TLS 1.0 and 1.1)",
                Evidence(("protocol", SmtpEvidence.ProtocolName(protocol))));
        }

        var submission = seen.Role != SmtpRole.Smtp;
        if (seen.Certificate is { } certificate)
        {
            // On port 25 senders use TLS opportunistically and do not check names or roots
            // (RFC 7435); on 587/465 mail clients do, and refuse the connection.
            CertificateFindings.Add(result, certificate, options, submission ? Severity.Critical : Severity.Warning);
        }

        if (submission && seen.EhloAfterTls is { } ehlo && SmtpObservation.AuthMechanisms(ehlo).Count == 0)
        {
            result.Add(SmtpFindingCodes.AuthMissing, Severity.Warning,
                "no AUTH is offered after TLS on a submission port: users cannot log in to send mail",
                Evidence(("ehloAfterTls", ehlo)));
        }
    }

    private static int Port(SmtpObservation seen) => seen.Port;

    private static Dictionary<string, object?> Evidence(params (string Name, object? Value)[] items) =>
        items.Where(i => i.Value is not null).ToDictionary(i => i.Name, i => i.Value);
}
