using System.IO.Compression;

namespace MailHealth.Testing.Reports;

/// <summary>The containers receivers put reports in: gzip (RFC 1952) and zip, made here.</summary>
public static class Containers
{
    /// <summary>One gzip member holding <paramref name="data"/>, followed by <paramref name="trailing"/> bytes if given (as some senders append).</summary>
    public static byte[] Gzip(byte[] data, byte[]? trailing = null)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(data);
        }

        buffer.Write(trailing ?? []);
        return buffer.ToArray();
    }

    /// <summary>A zip archive of the given entries, deflated.</summary>
    public static byte[] Zip(params (string Name, byte[] Data)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, data) in entries)
            {
                using var entry = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
                entry.Write(data);
            }
        }

        return buffer.ToArray();
    }
}
