using MailHealth.Settings;

namespace MailHealth.Network;

/// <summary>The process-wide network bounds (<c>MailHealth:Network</c>).</summary>
public sealed class NetworkSettings
{
    public const string Section = "MailHealth:Network";

    /// <summary>SMTP probes and HTTPS fetches at once across all targets. Default 256, 1-4096.</summary>
    public int MaxConcurrency { get; set; } = NetworkLimiter.DefaultMaxConcurrency;

    /// <summary>
    /// DNS questions in flight at once across all targets: a bound of their own, so that a question
    /// (a round trip) never waits for a probe (a whole conversation) to free a slot. Default 256, 1-4096.
    /// </summary>
    public int MaxDnsQueries { get; set; } = NetworkLimiter.DefaultMaxConcurrency;

    public static void Validate(NetworkSettings settings, SettingErrors errors)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(errors);
        errors.Range(nameof(MaxConcurrency), settings.MaxConcurrency, 1, 4096);
        errors.Range(nameof(MaxDnsQueries), settings.MaxDnsQueries, 1, 4096);
    }
}
