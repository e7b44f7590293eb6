using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MailHealth.Storage.ReceiverReports;

/// <summary>
/// Where a source's name lives in its domain's partition of <c>{prefix}dmarcsenders</c>: one of
/// <see cref="Count"/> bucket rows, <c>b00</c> to <c>b63</c>, chosen by the first four bytes of
/// the SHA-256 of the address text (a hash that is the same in every process and release, unlike
/// <see cref="string.GetHashCode()"/>), and the bucket's overflow rows <c>b07_0</c>, <c>b07_1</c>.
/// No address text is such a key ('b' followed by digits and '_' is neither IPv4 nor IPv6 text),
/// so the rows of the layout before buckets (row key the address) are told apart by their keys.
/// </summary>
internal static class SenderBuckets
{
    /// <summary>
    /// Buckets per domain: 20,000 names (the largest reports seen) are about 310 a bucket, a few
    /// KiB each gzipped, so a naming writes one transaction of 64 rows instead of 200 of 100 rows,
    /// and a domain's partition holds 64 rows that a store's per-entity costs do not grow with.
    /// </summary>
    public const int Count = 64;

    private const char Prefix = 'b';
    private const char OverflowSeparator = '_';

    public static int Of(string ip)
    {
        ArgumentNullException.ThrowIfNull(ip);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(ip), hash);
        return (int)(BinaryPrimitives.ReadUInt32BigEndian(hash) % Count);
    }

    public static string RowKey(int bucket) => Prefix + bucket.ToString("D2", CultureInfo.InvariantCulture);

    public static string OverflowRowKey(int bucket, int index) => RowKey(bucket) + OverflowSeparator + index.ToString(CultureInfo.InvariantCulture);

    /// <summary>The bucket whose main row <paramref name="rowKey"/> is, or null.</summary>
    public static int? MainRow(string rowKey) =>
        rowKey.Length == 3 && rowKey[0] == Prefix && TryBucket(rowKey.AsSpan(1, 2), out var bucket) ? bucket : null;

    /// <summary>The bucket whose overflow row <paramref name="rowKey"/> is, or null.</summary>
    public static int? OverflowRow(string rowKey) =>
        rowKey.Length > 4 && rowKey[0] == Prefix && rowKey[3] == OverflowSeparator && TryBucket(rowKey.AsSpan(1, 2), out var bucket) ? bucket : null;

    private static bool TryBucket(ReadOnlySpan<char> digits, out int bucket) =>
        int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out bucket) && bucket < Count;
}
