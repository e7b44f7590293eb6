using System.Globalization;
using MailHealth.Egress;
using MailHealth.Monitor.Dashboard;
using MailHealth.Settings;
using Microsoft.Extensions.Configuration;

namespace MailHealth.Monitor;

/// <summary>The monitor's own settings (<c>MailHealth:Monitor</c>); defaults and ranges in docs/configuration.md.</summary>
public sealed class MonitorSettings
{
    public const string Section = "MailHealth:Monitor";

    private static readonly TimeSpan MinimumInterval = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan MaximumInterval = TimeSpan.FromDays(1);

    /// <summary>Time between two runs of a target: the schedule slot. Default 5 min, 1 min-1 day.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How far back the fleet's port-25 signals count for the egress verdict. Default 30 min, 1 min-1 day.</summary>
    public TimeSpan EgressWindow { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Targets whose port 25 must all have timed out before egress is blamed. Default 2, 1-1000.</summary>
    public int EgressMinimumTargets { get; set; } = EgressAnalysis.DefaultMinimumTargets;

    /// <summary>How long runs, change events and delivered notifications are kept. Default 90 days, 1-3650.</summary>
    public int RetentionDays { get; set; } = 90;

    /// <summary>How long a taken queue message stays hidden from other workers: longer than a run. Default 5 min, 1 s-1 h.</summary>
    public TimeSpan MessageVisibilityTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Probe runs one <c>serve</c> process handles at once (its queue worker; the Functions app's
    /// queue trigger takes host.json's batch size instead). A run mostly waits on the network, so
    /// this is what lets one small box get through a large fleet within a cycle: ten thousand
    /// targets every five minutes need about 64 with 20 ms to the mail hosts (bench/README.md).
    /// Default 64, 1-512.
    /// </summary>
    public int RunsInFlight { get; set; } = 64;

    /// <summary>
    /// Where people open this monitor's dashboard (<c>https://mailhealth.example.com/</c>): alert and
    /// change notifications link to the target's page under it. Optional (empty: no links); an
    /// absolute http(s) URL without user, query or fragment.
    /// </summary>
    public string? PublicUrl { get; set; }

    /// <summary>
    /// How long the monitor's own work waits for storage in all: a run's reads and writes (its
    /// checks have their own deadline), each request of the schedule's tick (a large fleet's
    /// fan-out is many), the start-up's creation of the tables and queues. Past it the work fails as a storage outage: a run's message is retried, a tick's
    /// slot is recorded as lost. Default 1 min, 5 s-30 min; with the checks' RunDeadline it should
    /// stay within <see cref="MessageVisibilityTimeout"/>, or a second worker takes the message meanwhile.
    /// </summary>
    public TimeSpan StorageDeadline { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// <see cref="Interval"/> as <paramref name="configuration"/> sets it (the default when unset),
    /// or null when it is not a valid one: the settings' validation names that problem itself.
    /// </summary>
    public static TimeSpan? ReadInterval(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var text = configuration[$"{Section}:{nameof(Interval)}"];
        if (text is null)
        {
            return new MonitorSettings().Interval;
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var interval) && interval >= MinimumInterval && interval <= MaximumInterval
            ? interval
            : null;
    }

    public static void Validate(MonitorSettings settings, SettingErrors errors)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(errors);
        errors.Range(nameof(Interval), settings.Interval, MinimumInterval, MaximumInterval);
        errors.Range(nameof(EgressWindow), settings.EgressWindow, TimeSpan.FromMinutes(1), TimeSpan.FromDays(1));
        errors.Range(nameof(EgressMinimumTargets), settings.EgressMinimumTargets, 1, 1000);
        errors.Range(nameof(RetentionDays), settings.RetentionDays, 1, 3650);
        errors.Range(nameof(RunsInFlight), settings.RunsInFlight, 1, 512);
        errors.Range(nameof(MessageVisibilityTimeout), settings.MessageVisibilityTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        if (!string.IsNullOrEmpty(settings.PublicUrl) && DashboardLinks.ParseRoot(settings.PublicUrl) is null)
        {
            errors.Add(nameof(PublicUrl), "not an absolute http(s) URL without user, query or fragment (the dashboard's address, such as https://mailhealth.example.com/)");
        }

        errors.Range(nameof(StorageDeadline), settings.StorageDeadline, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(30));
    }
}
