using MailHealth.PublicSuffix;
using MailHealth.Settings;

namespace MailHealth.Senders;

/// <summary>
/// How the sources of DMARC aggregate reports are named (<c>MailHealth:SenderNaming</c>;
/// docs/reports.md, docs/configuration.md): where the Public Suffix List is, how many lookups run
/// at once, how long a report waits for its names, how long a name is remembered.
/// </summary>
public sealed class SenderNamingSettings
{
    public const string Section = "MailHealth:SenderNaming";

    /// <summary>
    /// The Public Suffix List's data file. Default Debian's (package <c>publicsuffix</c>); a relative
    /// path is the application's directory's (the Functions app ships the file beside itself,
    /// docs/deploy.md). Read once, at the first name.
    /// </summary>
    public string PublicSuffixListPath { get; set; } = PublicSuffixList.DebianPath;

    /// <summary>Sources named at once, across all reports (each a PTR lookup with its confirmation, or an SPF evaluation). Default 32, 1-1,024.</summary>
    public int Concurrency { get; set; } = 32;

    /// <summary>
    /// How long one call waits for its names; the sources still unnamed then are "not named in
    /// time", and their lookups go on for the next report. Default 30 s, 100 ms-1 h.
    /// </summary>
    public TimeSpan Deadline { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Names (per address) and SPF verdicts (per domain and address) remembered at once, each. Default 100,000, 0-10,000,000.</summary>
    public int CacheCapacity { get; set; } = 100_000;

    /// <summary>How long a name or a verdict is remembered. Default 1 h, 0-1 day (0: not at all).</summary>
    public TimeSpan CacheAge { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How old a stored name may grow before a report that shows its address names it again (names and SPF records change). Default 7 days, 1 h-365 days.</summary>
    public TimeSpan RenameAfter { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long a stored naming that failed (a timeout, a failed lookup, not named in time) stands before the next report or run names it again. Default 10 min, 0-1 day.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The data file's path: <see cref="PublicSuffixListPath"/>, a relative one under the application's directory.</summary>
    public string PublicSuffixListFile() =>
        Path.IsPathRooted(PublicSuffixListPath) ? PublicSuffixListPath : Path.Combine(AppContext.BaseDirectory, PublicSuffixListPath);

    public static void Validate(SenderNamingSettings settings, SettingErrors errors)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(errors);
        if (string.IsNullOrWhiteSpace(settings.PublicSuffixListPath))
        {
            errors.Add(nameof(PublicSuffixListPath), "must name the Public Suffix List's data file");
        }

        errors.Range(nameof(Concurrency), settings.Concurrency, 1, 1024);
        errors.Range(nameof(Deadline), settings.Deadline, TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1));
        errors.Range(nameof(CacheCapacity), settings.CacheCapacity, 0, 10_000_000);
        errors.Range(nameof(CacheAge), settings.CacheAge, TimeSpan.Zero, TimeSpan.FromDays(1));
        errors.Range(nameof(RenameAfter), settings.RenameAfter, TimeSpan.FromHours(1), TimeSpan.FromDays(365));
        errors.Range(nameof(RetryAfter), settings.RetryAfter, TimeSpan.Zero, TimeSpan.FromDays(1));
    }
}
