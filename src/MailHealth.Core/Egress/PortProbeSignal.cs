using System.Globalization;
using MailHealth.Checks;
using MailHealth.Smtp;

namespace MailHealth.Egress;

/// <summary>
/// What egress analysis needs to know about one SMTP probe: which target and port, whether the
/// TCP connect timed out, whether a connection was made. Read from a report's <c>smtp</c> checks
/// (the SMTP probe writes whether it connected and whether its connect timed out).
/// </summary>
/// <param name="TargetId">The target the probe belongs to.</param>
/// <param name="CheckId">The probe's check id, such as smtp:mx1.example.com:25.</param>
/// <param name="Port">The TCP port probed.</param>
/// <param name="TimedOut">The connect timed out (no answer at all: what a dropped SYN looks like).</param>
/// <param name="Connected">A TCP connection was made.</param>
public sealed record PortProbeSignal(string TargetId, string CheckId, int Port, bool TimedOut, bool Connected)
{
    /// <summary>Evidence key the SMTP probe sets when its connect timed out (read besides the finding code).</summary>
    public const string ConnectTimedOutEvidence = SmtpEvidence.ConnectTimedOut;

    /// <summary>Evidence key the SMTP probe sets on every probe that tried to connect.</summary>
    public const string ConnectedEvidence = SmtpEvidence.Connected;

    /// <summary>Evidence key set on a port-25 check that egress analysis turned into an error.</summary>
    public const string EgressBlockedEvidence = "egressBlocked";

    /// <summary>
    /// The signal of an <c>smtp:HOST:PORT</c> check; null for any other check, an id without a
    /// port, or a probe that never tried to connect (a host without an address, a probe the run
    /// never started): it says nothing about the path to port 25.
    /// </summary>
    public static PortProbeSignal? FromCheck(string targetId, CheckResult check)
    {
        ArgumentNullException.ThrowIfNull(check);
        if (check.Kind != SmtpCheck.KindName || PortOf(check) is not { } port)
        {
            return null;
        }

        var timedOut = check.Findings.Any(f => f.Code == EgressFindingCodes.ConnectTimeout)
            || IsTrue(check, ConnectTimedOutEvidence)
            || IsTrue(check, EgressBlockedEvidence);
        var refused = check.Findings.Any(f => f.Code == EgressFindingCodes.ConnectRefused);
        var tried = timedOut || refused || check.Evidence.ContainsKey(ConnectedEvidence);
        if (!tried && check.Status == CheckStatus.Error)
        {
            return null;
        }

        // Without an explicit "connected", a probe that got past TCP either did not end in error
        // or left SMTP/TLS findings, which only a conversation can produce.
        var connected = !timedOut && !refused && (IsTrue(check, ConnectedEvidence)
            || check.Status != CheckStatus.Error
            || check.Findings.Any(f => f.Code.StartsWith("SMTP_", StringComparison.Ordinal) || f.Code.StartsWith("TLS_", StringComparison.Ordinal)));
        return new PortProbeSignal(targetId, check.Id, port, timedOut, connected);
    }

    /// <summary>The port of an smtp check: the last part of its subject HOST:PORT (or of its id).</summary>
    private static int? PortOf(CheckResult check)
    {
        foreach (var text in new[] { check.Subject, check.Id })
        {
            var colon = text.LastIndexOf(':');
            if (colon >= 0 && int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port))
            {
                return port;
            }
        }

        return null;
    }

    private static bool IsTrue(CheckResult check, string key) =>
        check.Evidence.TryGetValue(key, out var value) && value is true;
}
