using System.Buffers.Binary;
using System.IO.Compression;
using System.Text.Json;

namespace MailHealth.Storage.Payloads;

/// <summary>
/// Compression of the JSON documents kept in binary properties (reports, summaries, fingerprints).
/// Every run writes several and every <c>/metrics</c> read decompresses a summary per check of
/// the fleet, so JSON goes into the compressor as the serializer writes it and comes out of the
/// decompressor into the deserializer: no JSON string, no uncompressed copy, no growing buffer.
/// </summary>
public static class Gzip
{
    /// <summary>A gzip member ends with CRC32 and ISIZE, the input's length modulo 2^32 (RFC 1952 section 2.3.1).</summary>
    private const int TrailerBytes = 8;

    /// <summary>DEFLATE expands at most about 1032 to 1; a trailer claiming more is not ours.</summary>
    private const long MaxRatio = 1032;

    public static byte[] Compress(ReadOnlySpan<byte> data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    /// <summary>
    /// <paramref name="value"/>'s JSON, compressed as the serializer writes it; the same bytes as
    /// <c>Compress(JsonSerializer.SerializeToUtf8Bytes(value, options))</c>.
    /// </summary>
    public static byte[] CompressJson<T>(T value, JsonSerializerOptions? options = null) => CompressJson(value, options, out _);

    /// <summary><see cref="CompressJson{T}(T, JsonSerializerOptions?)"/>, and the length of the JSON before compression.</summary>
    public static byte[] CompressJson<T>(T value, JsonSerializerOptions? options, out int jsonBytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            JsonSerializer.Serialize(gzip, value, options);
        }

        var compressed = output.ToArray();
        jsonBytes = checked((int)UncompressedLength(compressed));
        return compressed;
    }

    /// <summary>The JSON in <paramref name="data"/> read as it is decompressed.</summary>
    public static T? DecompressJson<T>(byte[] data, JsonSerializerOptions? options = null)
    {
        using var input = new MemoryStream(data, writable: false);
        using var gzip = new GZipStream(input, CompressionMode.Decompress);
        return JsonSerializer.Deserialize<T>(gzip, options);
    }

    public static byte[] Decompress(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        using var input = new MemoryStream(data, writable: false);
        using var gzip = new GZipStream(input, CompressionMode.Decompress);
        // Compress writes one member, whose trailer gives the length: read into an array of that
        // size instead of a stream that grows by doubling and is then copied.
        var length = UncompressedLength(data);
        if (length < 0 || length > MaxRatio * data.Length)
        {
            return CopyAll(gzip);
        }

        var result = new byte[length];
        try
        {
            gzip.ReadExactly(result);
        }
        catch (EndOfStreamException e)
        {
            throw new StoredDataException("a compressed payload is shorter than its gzip trailer says", e);
        }

        if (gzip.ReadByte() >= 0)
        {
            // More than the trailer said (several members, or 4 GiB wrapped): not what Compress writes.
            throw new StoredDataException("a compressed payload is longer than its gzip trailer says");
        }

        return result;
    }

    /// <summary>ISIZE of the last member, or -1 when <paramref name="data"/> is too short to hold a trailer.</summary>
    private static long UncompressedLength(byte[] data) =>
        data.Length < TrailerBytes ? -1 : BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(data.Length - 4));

    private static byte[] CopyAll(Stream gzip)
    {
        using var output = new MemoryStream();
        gzip.CopyTo(output);
        return output.ToArray();
    }
}
