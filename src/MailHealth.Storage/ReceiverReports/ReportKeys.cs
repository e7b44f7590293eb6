using System.Globalization;
using MailHealth.Storage.Keys;

namespace MailHealth.Storage.ReceiverReports;

/// <summary>
/// Keys of the receivers' report tables (docs/storage.md, "Receivers' reports"). A report is
/// named by its identity key (32 hex digits) and the input it came from (the first 16 hex digits
/// of the input's SHA-256), so two inputs carrying the same report never write the same rows.
/// </summary>
internal static class ReportKeys
{
    /// <summary>Hex digits of the input id in row keys: 64 bits, enough to tell the inputs of one report apart.</summary>
    public const int InputDigits = 16;

    /// <summary>The ledger row of a report in its domain's partition of the reports table.</summary>
    public const string LedgerPrefix = "r_";

    /// <summary>A report's totals on one day, in its domain's partition: <c>d_{yyyyMMdd}_{key}</c>.</summary>
    public const string DayPrefix = "d_";

    public static string Domain(string domain) => KeyText.Checked(KeyText.Escape(domain), "policy domain");

    public static string Ledger(string reportKey) => LedgerPrefix + reportKey;

    public static string Day(DateOnly day) => DayPrefix + DayText(day) + "_";

    public static string DayRow(DateOnly day, string reportKey) => Day(day) + reportKey;

    /// <summary>The report key at the end of a day row's key.</summary>
    public static string ReportKeyOfDayRow(string rowKey) => rowKey[(DayPrefix.Length + 9)..];

    /// <summary>The partition of a domain's rows of one day in the sources and TLS results tables.</summary>
    public static string DomainDay(string domain, DateOnly day) => KeyText.Checked($"{KeyText.Escape(domain)}|{DayText(day)}", "policy domain and day");

    /// <summary>Where one input's rows of one report start, in a day partition of the sources or TLS results table.</summary>
    public static string Contribution(string reportKey, string input) => $"{reportKey}_{input[..InputDigits]}_";

    /// <summary>The length of <see cref="Contribution"/>: 32 hex digits of the report, 16 of the input, two separators.</summary>
    public const int ContributionLength = 32 + InputDigits + 2;

    public static string DayText(DateOnly day) => day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    public static DateTimeOffset Midnight(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    /// <summary>The day a stored <see cref="Midnight"/> stands for (a missing one: day 0).</summary>
    public static DateOnly DayOf(DateTimeOffset? midnight) => DateOnly.FromDateTime((midnight ?? default).UtcDateTime);
}
