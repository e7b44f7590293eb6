using System.Globalization;
using MailHealth.Checks;

namespace MailHealth.ReceiverFindings;

/// <summary>
/// What receivers' reports mean (docs/findings.md, "Receivers' reports"): the findings of a
/// domain's <see cref="ReceiverView"/>, by <see cref="ReceiverFindingSettings"/>. Pure: the
/// monitor reads the view, this judges it.
/// </summary>
public static class ReceiverFindingEvaluator
{
    // Reports on nine days in ten of the ready window: a receiver that skips a day is no instability.
    private const double ReadyCoverage = 0.9;

    public static IReadOnlyList<Finding> Evaluate(ReceiverView view, ReceiverFindingSettings settings)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(settings);
        return [.. Senders(view, settings), .. Missing(view, settings), .. Tls(view, settings), .. Ready(view, settings)];
    }

    /// <summary>The sources whose mail fails DMARC above a threshold: strangers, or authorised senders that are broken.</summary>
    private static IEnumerable<Finding> Senders(ReceiverView view, ReceiverFindingSettings settings)
    {
        var days = Math.Max(1, view.SourceReportDays);
        foreach (var source in view.Sources)
        {
            var failed = source.Counts.Messages - source.Counts.DmarcPass;
            var perDay = failed / days;
            var ownSigned = source.Counts.OwnSignatureFailed > 0;
            var authorised = source.AuthorisedBy is not null || ownSigned;
            var threshold = authorised ? settings.AuthorisedSenderMessagesPerDay : settings.UnknownSenderMessagesPerDay;
            // "No aligned DKIM signs": a source some of whose mail passed aligned DKIM is the
            // domain's, failing now and then (a forwarder), not a stranger.
            if (failed <= 0 || perDay <= threshold || (!authorised && source.Counts.DkimAligned > 0))
            {
                continue;
            }

            var who = Who(source);
            var evidence = new Dictionary<string, object?>
            {
                ["ip"] = source.Ip,
                ["ptrName"] = source.PtrName,
                ["confirmed"] = source.Confirmed,
                ["baseDomain"] = source.BaseDomain,
                ["authorisedBy"] = source.AuthorisedBy,
                ["messages"] = Round(source.Counts.Messages),
                ["failedDmarc"] = Round(failed),
                ["failedPerDay"] = Round(perDay),
                ["ownSignatureFailed"] = Round(source.Counts.OwnSignatureFailed),
                ["days"] = days,
            };
            if (authorised)
            {
                var why = source.AuthorisedBy is { } term
                    ? $"SPF authorises it ({term}) but the envelope domain is not aligned with {view.Domain}"
                    : $"it signs with {view.Domain}'s DKIM but the signature does not verify";
                yield return new Finding(
                    ReceiverFindingCodes.BrokenSender,
                    settings.AuthorisedSenderSeverity,
                    source.Ip,
                    Invariant($"{who} fails DMARC for {perDay:0.#} messages a day ({failed:0.#} in {days} days): {why}, and no aligned DKIM signature passes"),
                    evidence);
            }
            else
            {
                yield return new Finding(
                    ReceiverFindingCodes.UnknownSender,
                    settings.UnknownSenderSeverity,
                    source.Ip,
                    Invariant($"{who} sends as {view.Domain}, failing DMARC: {perDay:0.#} messages a day ({failed:0.#} in {days} days); no term of the SPF record authorises it and no aligned DKIM signature passes"),
                    evidence);
            }
        }
    }

    /// <summary>No aggregate report for days, although the rua names a mailbox this monitor reads.</summary>
    private static IEnumerable<Finding> Missing(ReceiverView view, ReceiverFindingSettings settings)
    {
        var monitored = MonitoredMailboxes(view.Rua, settings);
        var since = view.LastReportDay ?? view.WatchedSince;
        if (monitored.Count == 0 || since is null)
        {
            yield break;
        }

        var quiet = view.Today.DayNumber - since.Value.DayNumber - 1;
        if (quiet < settings.MissingReportDays)
        {
            yield break;
        }

        var last = view.LastReportDay is { } day ? $"the last covered {day:yyyy-MM-dd}" : "none has arrived yet";
        yield return new Finding(
            ReceiverFindingCodes.ReportsMissing,
            settings.MissingReportsSeverity,
            view.Domain,
            Invariant($"no DMARC aggregate report for {quiet} days ({last}) although the rua of {view.Domain} names {string.Join(", ", monitored)}, a mailbox this monitor reads"),
            new Dictionary<string, object?>
            {
                ["rua"] = view.Rua,
                ["monitoredAddresses"] = monitored,
                ["lastReportDay"] = view.LastReportDay?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["daysWithoutReport"] = quiet,
            });
    }

    /// <summary>Failed TLS sessions receivers reported, per MX host, beside what the probe saw there.</summary>
    private static IEnumerable<Finding> Tls(ReceiverView view, ReceiverFindingSettings settings)
    {
        foreach (var host in view.TlsFailures.GroupBy(f => HostName(f.MxHost, view.Domain)).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var failed = host.Sum(f => f.FailedSessions);
            if (failed < settings.TlsFailedSessions)
            {
                continue;
            }

            var byType = host.GroupBy(f => f.ResultType).OrderByDescending(g => g.Sum(f => f.FailedSessions)).ThenBy(g => g.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => (object?)Round(g.Sum(f => f.FailedSessions)), StringComparer.Ordinal);
            var probe = view.ProbeFindings.GetValueOrDefault(host.Key) ?? [];
            var saw = probe.Count > 0 ? $"this monitor's probe saw {string.Join(", ", probe)}" : "this monitor's probe saw no TLS problem there";
            yield return new Finding(
                ReceiverFindingCodes.TlsFailuresReported,
                settings.TlsFailuresSeverity,
                host.Key,
                Invariant($"receivers report {failed:0.#} failed TLS sessions to {host.Key} in {settings.WindowDays} days ({string.Join(", ", byType.Select(t => $"{t.Key} {t.Value}"))}); {saw}"),
                new Dictionary<string, object?>
                {
                    ["mxHost"] = host.Key,
                    ["failedSessions"] = Round(failed),
                    ["resultTypes"] = byType,
                    ["probeFindings"] = probe,
                });
        }
    }

    /// <summary>p=none, and every day of the ready window with reports above the pass share: time to enforce.</summary>
    private static IEnumerable<Finding> Ready(ReceiverView view, ReceiverFindingSettings settings)
    {
        var first = view.Today.AddDays(-settings.ReadyDays);
        var days = view.Days.Where(d => d.Day >= first && d.Day < view.Today && d.Messages > 0).ToList();
        if (!string.Equals(view.Policy, "none", StringComparison.OrdinalIgnoreCase) || days.Count < Math.Ceiling(settings.ReadyDays * ReadyCoverage))
        {
            yield break;
        }

        var lowest = days.Min(d => d.DmarcPass / d.Messages) * 100;
        if (lowest < settings.ReadyPassPercent)
        {
            yield break;
        }

        var messages = days.Sum(d => d.Messages);
        var share = days.Sum(d => d.DmarcPass) / messages * 100;
        yield return new Finding(
            ReceiverFindingCodes.ReadyToEnforce,
            settings.ReadySeverity,
            view.Domain,
            Invariant($"{view.Domain} is at p=none and {share:0.##}% of its {messages:0} messages passed DMARC over {days.Count} days (no day below {lowest:0.##}%): ready to move to p=quarantine, then p=reject"),
            new Dictionary<string, object?>
            {
                ["policy"] = view.Policy,
                ["days"] = days.Count,
                ["messages"] = Round(messages),
                ["passPercent"] = Math.Round(share, 2),
                ["lowestDayPercent"] = Math.Round(lowest, 2),
            });
    }

    /// <summary>The mailboxes of <paramref name="rua"/> that are among <see cref="ReceiverFindingSettings.ReportAddresses"/>.</summary>
    public static IReadOnlyList<string> MonitoredMailboxes(IEnumerable<string> rua, ReceiverFindingSettings settings)
    {
        ArgumentNullException.ThrowIfNull(rua);
        ArgumentNullException.ThrowIfNull(settings);
        return [.. rua.Select(MailboxOf).OfType<string>().Where(m => settings.ReportAddresses.Contains(m, StringComparer.OrdinalIgnoreCase))];
    }

    private static string Who(ReceiverSource source) => source.PtrName switch
    {
        null => source.Ip,
        var name when source.Confirmed => $"{source.Ip} ({name})",
        var name => $"{source.Ip} ({name}, not confirmed)",
    };

    /// <summary>The mailbox of a rua URI: "mailto:dmarc@example.com!10m" is dmarc@example.com (a size limit follows "!", RFC 7489 section 6.2).</summary>
    private static string? MailboxOf(string uri)
    {
        if (!uri.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var address = uri["mailto:".Length..];
        var bang = address.IndexOf('!', StringComparison.Ordinal);
        return Uri.UnescapeDataString(bang >= 0 ? address[..bang] : address).Trim();
    }

    private static string HostName(string mxHost, string domain)
    {
        var host = mxHost.Trim().TrimEnd('.').ToLowerInvariant();
        return host.Length > 0 ? host : domain;
    }

    private static double Round(double value) => Math.Round(value, 2);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
