using MailHealth.Settings;

namespace MailHealth.Fleet;

/// <summary>How many targets one process checks at once (<c>MailHealth:Fleet</c>).</summary>
public sealed class FleetSettings
{
    public const string Section = "MailHealth:Fleet";

    /// <summary>Targets checked at once. Default 16, 1-1024 (<c>mailhealth check --concurrency</c> overrides it).</summary>
    public int MaxConcurrentTargets { get; set; } = 16;

    public static void Validate(FleetSettings settings, SettingErrors errors)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(errors);
        errors.Range(nameof(MaxConcurrentTargets), settings.MaxConcurrentTargets, 1, 1024);
    }
}
