using System.Buffers.Binary;

namespace MailHealth.ReceiverReports;

/// <summary>
/// How many entries a zip archive declares, read from its end of central directory record alone
/// (PKWARE APPNOTE section 4.3.16, and 4.3.14 for ZIP64), so that an archive of thousands of
/// entries is refused before its directory is read. ZipArchive reads the whole directory at its
/// first question and exposes no count without it; it still checks the count against what it
/// reads, so an archive cannot declare fewer entries than it holds.
/// </summary>
internal static class ZipDirectory
{
    private const uint EndSignature = 0x06054B50;
    private const uint Zip64LocatorSignature = 0x07064B50;
    private const uint Zip64EndSignature = 0x06064B50;
    private const int EndLength = 22;
    private const int Zip64LocatorLength = 20;
    private const int MaxCommentLength = ushort.MaxValue;

    /// <summary>The entry count the archive declares; null when no end record is found (then it is no readable archive).</summary>
    public static long? DeclaredEntries(Stream archive)
    {
        var length = archive.Length;
        var tailLength = (int)Math.Min(length, EndLength + MaxCommentLength + Zip64LocatorLength);
        var tail = new byte[tailLength];
        archive.Position = length - tailLength;
        archive.ReadExactly(tail);
        archive.Position = 0;

        for (var at = tailLength - EndLength; at >= 0; at--)
        {
            var record = tail.AsSpan(at);
            if (BinaryPrimitives.ReadUInt32LittleEndian(record) != EndSignature)
            {
                continue;
            }

            var entries = BinaryPrimitives.ReadUInt16LittleEndian(record[10..]);
            if (entries != ushort.MaxValue)
            {
                return entries;
            }

            // ZIP64: the locator just before the end record points at the ZIP64 end record.
            return at >= Zip64LocatorLength ? Zip64Entries(archive, tail.AsSpan(at - Zip64LocatorLength, Zip64LocatorLength)) : null;
        }

        return null;
    }

    private static long? Zip64Entries(Stream archive, ReadOnlySpan<byte> locator)
    {
        if (BinaryPrimitives.ReadUInt32LittleEndian(locator) != Zip64LocatorSignature)
        {
            return null;
        }

        var offset = BinaryPrimitives.ReadUInt64LittleEndian(locator[8..]);
        if (archive.Length < 56 || offset > (ulong)(archive.Length - 56))
        {
            return null;
        }

        Span<byte> record = stackalloc byte[56];
        archive.Position = (long)offset;
        archive.ReadExactly(record);
        archive.Position = 0;
        if (BinaryPrimitives.ReadUInt32LittleEndian(record) != Zip64EndSignature)
        {
            return null;
        }

        var entries = BinaryPrimitives.ReadUInt64LittleEndian(record[32..]);
        return entries > long.MaxValue ? long.MaxValue : (long)entries;
    }
}
