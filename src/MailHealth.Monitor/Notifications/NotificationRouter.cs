using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MailHealth.Alerts;
using MailHealth.Changes;
using MailHealth.Checks;
using MailHealth.Monitor.Dashboard;
using MailHealth.Monitor.Findings;
using MailHealth.Notifications;
using MailHealth.Targets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MailHealth.Monitor.Notifications;

/// <summary>
/// Turns an alert transition or a change event into one <see cref="Notification"/> per channel
/// that wants it: by the target's tags, the channel's events and its minimum severity. Only
/// Opened and Resolved transitions notify (docs/alerts.md): acknowledgements are history only.
/// The same event always gives the same notification ids, so a retried run enqueues nothing new.
/// An opened alert carries its finding's fix as the dashboard shows it, and every notification a
/// link to the target's page when the monitor's public URL is configured.
/// </summary>
public sealed class NotificationRouter(IOptions<NotificationOptions> options, DashboardLinks links, ILogger<NotificationRouter> logger)
{
    private readonly NotificationOptions _options = options.Value;

    public IReadOnlyList<Notification> Route(AlertTransition transition, Target target, IReadOnlyCollection<string> tags)
    {
        var kind = transition.Kind switch
        {
            AlertTransitionKind.Opened => NotificationKind.AlertOpened,
            AlertTransitionKind.Resolved => NotificationKind.AlertResolved,
            _ => (NotificationKind?)null,
        };
        if (kind is null)
        {
            return [];
        }

        var identity = $"alert\n{transition.AlertId}\n{transition.Kind}\n{transition.RunId ?? Stamp(transition.At)}";
        var title = AlertTitle(transition, target);
        // What to do about it matters when it opens; a resolved alert needs nothing done.
        var fix = kind == NotificationKind.AlertOpened ? FindingFixes.Catalogue.GetValueOrDefault(transition.Key.Code) : null;
        var link = links.Target(target.Id)?.AbsoluteUri;
        var notifications = Matching(NotificationEvent.Alerts, tags, transition.Severity)
            .Select(channel => new Notification
            {
                Id = NotificationId(identity, channel),
                Channel = channel,
                Kind = kind.Value,
                TargetId = target.Id,
                Domain = target.Domain,
                Tags = [.. tags],
                Title = title,
                Text = transition.Message,
                Fix = fix,
                Link = link,
                Severity = transition.Severity,
                Code = transition.Key.Code,
                Subject = transition.Key.Subject.Length > 0 ? transition.Key.Subject : null,
                AlertId = transition.AlertId,
                RunId = transition.RunId,
                At = transition.At,
            })
            .ToList();
        NotificationLog.Routed(logger, notifications.Count, kind.Value.ToString(), target.Id);
        return notifications;
    }

    public IReadOnlyList<Notification> Route(ChangeEvent change, Target target, IReadOnlyCollection<string> tags)
    {
        var identity = $"change\n{change.TargetId}\n{change.Item}\n{change.RunId}";
        var title = $"[CHANGE] {DisplayName(target)}: {change.Summary}";
        var text = $"{change.Summary}\nBefore: {change.Before ?? "(none)"}\nAfter: {change.After ?? "(none)"}";
        var link = links.Target(target.Id)?.AbsoluteUri;
        var notifications = Matching(NotificationEvent.Changes, tags, severity: null)
            .Select(channel => new Notification
            {
                Id = NotificationId(identity, channel),
                Channel = channel,
                Kind = NotificationKind.Change,
                TargetId = target.Id,
                Domain = target.Domain,
                Tags = [.. tags],
                Title = title,
                Text = text,
                Link = link,
                Subject = change.Item,
                RunId = change.RunId,
                At = change.At,
            })
            .ToList();
        NotificationLog.Routed(logger, notifications.Count, nameof(NotificationKind.Change), target.Id);
        return notifications;
    }

    /// <summary>"[CRITICAL] example.com: TLS_CERT_EXPIRED on mx1.example.com:25 — opened".</summary>
    public static string AlertTitle(AlertTransition transition, Target target)
    {
        var on = transition.Key.Subject.Length > 0 ? $" on {transition.Key.Subject}" : "";
        var what = transition.Kind.ToString().ToLowerInvariant();
        return $"[{SeverityLabel(transition.Severity)}] {DisplayName(target)}: {transition.Key.Code}{on} \u2014 {what}";
    }

    /// <summary>32 lowercase hex digits of SHA-256 over the event's identity and the channel: safe in a storage key, a header and a Message-ID.</summary>
    public static string NotificationId(string eventIdentity, string channel)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{eventIdentity}\n{channel.ToLowerInvariant()}"));
        return Convert.ToHexStringLower(hash, 0, 16);
    }

    private IEnumerable<string> Matching(NotificationEvent kind, IReadOnlyCollection<string> tags, Severity? severity) =>
        _options.Channels
            .Where(c => c.Value.Receives(kind) && c.Value.Covers(tags) && (severity is null || severity >= c.Value.MinimumSeverity))
            .Select(c => c.Key)
            .OrderBy(name => name, StringComparer.Ordinal);

    private static string SeverityLabel(Severity severity) => severity.ToString().ToUpperInvariant();

    private static string DisplayName(Target target) => target.DisplayDomain.Length > 0 ? target.DisplayDomain : target.Domain;

    private static string Stamp(DateTimeOffset at) => at.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
}
