using MailHealth.Alerts;
using MailHealth.Checks;
using MailHealth.Settings;

namespace MailHealth.Monitor;

/// <summary>When findings become alerts (<c>MailHealth:Alerts</c>): the bindable form of <see cref="AlertPolicy"/>.</summary>
public sealed class AlertSettings
{
    public const string Section = "MailHealth:Alerts";

    /// <summary>Findings below this never alert. Default warning.</summary>
    public Severity MinimumSeverity { get; set; } = Severity.Warning;

    /// <summary>Consecutive runs with a warning before it opens. Default 2, 1-100.</summary>
    public int OpenAfterRuns { get; set; } = 2;

    /// <summary>Consecutive runs with a critical finding before it opens. Default 1, 1-100.</summary>
    public int OpenAfterRunsCritical { get; set; } = 1;

    /// <summary>Consecutive clean runs before an open alert resolves. Default 2, 1-100.</summary>
    public int ResolveAfterRuns { get; set; } = 2;

    public AlertPolicy ToPolicy() => new()
    {
        MinimumSeverity = MinimumSeverity,
        OpenAfterRuns = OpenAfterRuns,
        OpenAfterRunsCritical = OpenAfterRunsCritical,
        ResolveAfterRuns = ResolveAfterRuns,
    };

    public static void Validate(AlertSettings settings, SettingErrors errors)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(errors);
        errors.Range(nameof(OpenAfterRuns), settings.OpenAfterRuns, 1, 100);
        errors.Range(nameof(OpenAfterRunsCritical), settings.OpenAfterRunsCritical, 1, 100);
        errors.Range(nameof(ResolveAfterRuns), settings.ResolveAfterRuns, 1, 100);
        if (settings.MinimumSeverity == Severity.Info)
        {
            errors.Add(nameof(MinimumSeverity), "info findings are advice, not alerts: use warning or critical");
        }
    }
}
