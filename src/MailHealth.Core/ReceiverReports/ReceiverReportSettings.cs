using System.Globalization;
using MailHealth.Settings;

namespace MailHealth.ReceiverReports;

/// <summary>
/// The caps on one input of report ingestion (<c>MailHealth:Reports</c>; docs/reports.md): each
/// input is refused when it reaches one, and memory stays bounded whatever the input holds.
/// </summary>
public sealed class ReceiverReportSettings
{
    public const string Section = "MailHealth:Reports";

    private const long MiB = 1 << 20;

    /// <summary>One input as received (a whole message or a file), in bytes. Default 25 MiB, 64 KiB-1 GiB.</summary>
    public long MaxMessageBytes { get; set; } = 25 * MiB;

    /// <summary>
    /// The report documents of one input after decompression, all of them together, in bytes.
    /// Default 1 GiB, 1 MiB-16 GiB: a 900,000-row report is about 700 MB of XML, and records are
    /// read as they stream, so this bounds the work a bomb can cause, not the memory.
    /// </summary>
    public long MaxDecompressedBytes { get; set; } = 1024 * MiB;

    /// <summary>Entries of one zip archive, and leaf parts of one message. Default 100, 1-10,000.</summary>
    public int MaxArchiveEntries { get; set; } = 100;

    /// <summary>
    /// One TLS report's JSON document, which is read whole (an RFC 8460 report holds one entry per
    /// policy and kind of failure: kilobytes in practice). Default 16 MiB, 64 KiB-1 GiB.
    /// </summary>
    public long MaxTlsReportBytes { get; set; } = 16 * MiB;

    /// <summary>The reason an input that reached a cap is refused with: the cap, its setting, what it counts.</summary>
    public static string Refusal(string setting, long cap, string what) =>
        string.Create(CultureInfo.InvariantCulture, $"refused: more than {Section}:{setting} ({cap:N0} {what})");

    public static void Validate(ReceiverReportSettings settings, SettingErrors errors)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(errors);
        errors.Range(nameof(MaxMessageBytes), settings.MaxMessageBytes, 64 * 1024, 1024 * MiB);
        errors.Range(nameof(MaxDecompressedBytes), settings.MaxDecompressedBytes, MiB, 16 * 1024 * MiB);
        errors.Range(nameof(MaxArchiveEntries), settings.MaxArchiveEntries, 1, 10_000);
        errors.Range(nameof(MaxTlsReportBytes), settings.MaxTlsReportBytes, 64 * 1024, 1024 * MiB);
    }
}
