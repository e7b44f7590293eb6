using MailHealth.Settings;

namespace MailHealth.Network;

/// <summary>The process-wide network bound (<c>MailHealth:Network</c>).</summary>
public sealed class NetworkSettings
{
    public const string Section = "MailHealth:Network";

    /// <summary>DNS queries, SMTP probes and HTTPS fetches at once across all targets. Default 256, 1-4096.</summary>
    public int MaxConcurrency { get; set; } = NetworkLimiter.DefaultMaxConcurrency;

    public static void Validate(NetworkSettings settings, SettingErrors errors)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(errors);
        errors.Range(nameof(MaxConcurrency), settings.MaxConcurrency, 1, 4096);
    }
}
