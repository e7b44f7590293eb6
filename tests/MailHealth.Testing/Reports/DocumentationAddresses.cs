using System.Globalization;

namespace MailHealth.Testing.Reports;

/// <summary>
/// Source addresses for generated reports, only from the documentation ranges (RFC 5737:
/// 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24; RFC 3849: 2001:db8::/32), never anyone's host.
/// </summary>
public static class DocumentationAddresses
{
    private static readonly string[] V4Prefixes = ["192.0.2.", "198.51.100.", "203.0.113."];

    /// <summary>The IPv4 addresses first (768 of them), then 2001:db8::1, 2001:db8::2, ...</summary>
    public static string Nth(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        return index < 768
            ? V4Prefixes[index / 256] + (index % 256).ToString(CultureInfo.InvariantCulture)
            : "2001:db8::" + (index - 767).ToString("x", CultureInfo.InvariantCulture);
    }
}
