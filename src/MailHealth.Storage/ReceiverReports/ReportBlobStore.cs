using System.Globalization;
using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using MailHealth.Storage.Configuration;
using MailHealth.Storage.Payloads;

namespace MailHealth.Storage.ReceiverReports;

/// <summary>
/// Every report input as it arrived, in the container <see cref="StorageOptions.ReportContainerName"/>:
/// gzip-compressed, named <c>{sha256 of the raw bytes}.gz</c>, so the same input stored twice is
/// one blob and a report can be read again from it after a parser fix. A blob is written once,
/// conditionally on there being none (<c>If-None-Match: *</c>), and never changed.
/// </summary>
public sealed class ReportBlobStore(StorageAccount account)
{
    private readonly BlobContainerClient container = account.ReportContainer;

    /// <summary>The id of an input: the SHA-256 of its bytes, 64 lower-case hex digits.</summary>
    public static string InputId(ReadOnlySpan<byte> raw) => Convert.ToHexStringLower(SHA256.HashData(raw));

    /// <summary>Whether <paramref name="text"/> has the shape of an input id.</summary>
    public static bool IsInputId(string? text) => text is { Length: 64 } && text.All(char.IsAsciiHexDigitLower);

    public static string BlobName(string inputId) => inputId + ".gz";

    // The blob's metadata written by PutAsync and read back by GetReceiptAsync.
    private const string ReceivedAtMetadata = "receivedat";
    private const string DoorMetadata = "door";

    /// <summary>
    /// Stores <paramref name="raw"/> under its id unless a blob of that id exists, with when and
    /// through which door it came as metadata (<see cref="GetReceiptAsync"/>); whether it was stored now.
    /// </summary>
    public async Task<StoredReportBlob> PutAsync(ReadOnlyMemory<byte> raw, DateTimeOffset receivedAt, string door, CancellationToken cancellationToken = default)
    {
        var input = InputId(raw.Span);
        var compressed = Gzip.Compress(raw.Span);
        var options = new BlobUploadOptions
        {
            Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
            HttpHeaders = new BlobHttpHeaders { ContentType = "application/gzip" },
            Metadata = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [ReceivedAtMetadata] = receivedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
                [DoorMetadata] = door,
                ["bytes"] = raw.Length.ToString(CultureInfo.InvariantCulture),
            },
        };
        try
        {
            await container.GetBlobClient(BlobName(input)).UploadAsync(new BinaryData(compressed), options, cancellationToken);
            return new StoredReportBlob(input, raw.Length, compressed.Length, Created: true);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // BlobAlreadyExists: the same bytes were stored before, under the same name.
            return new StoredReportBlob(input, raw.Length, compressed.Length, Created: false);
        }
    }

    /// <summary>
    /// When and through which door input <paramref name="inputId"/> was first received, as its
    /// blob's metadata says (one request, no content); null when there is no such blob, or it says
    /// neither. An input stored before and never recorded (a crash between the two, or two doors
    /// storing the same bytes at once) takes these so that every record of it has the same keys.
    /// </summary>
    public async Task<ReportBlobReceipt?> GetReceiptAsync(string inputId, CancellationToken cancellationToken = default)
    {
        IDictionary<string, string> metadata;
        try
        {
            metadata = (await container.GetBlobClient(BlobName(inputId)).GetPropertiesAsync(cancellationToken: cancellationToken)).Value.Metadata;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }

        return Receipt(metadata);
    }

    /// <summary>
    /// The ids of the inputs whose blob was received before <paramref name="before"/> (by its
    /// metadata, or when it was written if that says nothing): one listing of the container, a
    /// request per 5,000 blobs. Retention's sweep for blobs no record names.
    /// </summary>
    public async IAsyncEnumerable<string> ListReceivedBeforeAsync(DateTimeOffset before, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var blob in container.GetBlobsAsync(BlobTraits.Metadata, BlobStates.None, prefix: null, cancellationToken))
        {
            var receivedAt = Receipt(blob.Metadata)?.ReceivedAt ?? blob.Properties.LastModified;
            if (receivedAt < before && blob.Name.EndsWith(".gz", StringComparison.Ordinal) && blob.Name[..^3] is var input && IsInputId(input))
            {
                yield return input;
            }
        }
    }

    private static ReportBlobReceipt? Receipt(IDictionary<string, string>? metadata) =>
        metadata is not null
            && metadata.TryGetValue(ReceivedAtMetadata, out var at)
            && DateTimeOffset.TryParseExact(at, "O", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var receivedAt)
            && metadata.TryGetValue(DoorMetadata, out var door)
            ? new ReportBlobReceipt(receivedAt.ToUniversalTime(), door)
            : null;

    /// <summary>
    /// The raw bytes of input <paramref name="inputId"/>, at most <paramref name="maxBytes"/> + 1 of
    /// them (a reader with a lower cap than when it was stored refuses it from its length), checked
    /// against the id when whole; null when there is no such blob.
    /// </summary>
    /// <exception cref="StoredDataException">The blob is not the input its name says.</exception>
    public async Task<byte[]?> GetAsync(string inputId, long maxBytes, CancellationToken cancellationToken = default)
    {
        BinaryData content;
        try
        {
            content = (await container.GetBlobClient(BlobName(inputId)).DownloadContentAsync(cancellationToken)).Value.Content;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }

        using var gzip = new GZipStream(content.ToStream(), CompressionMode.Decompress);
        using var output = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = await gzip.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, maxBytes + 1 - output.Length)), cancellationToken)) > 0)
        {
            output.Write(buffer, 0, read);
            if (output.Length > maxBytes)
            {
                return output.ToArray();
            }
        }

        var raw = output.ToArray();
        return InputId(raw) == inputId ? raw : throw new StoredDataException($"report input {inputId}: the stored bytes do not hash to their name");
    }

    /// <summary>Removes input <paramref name="inputId"/>'s blob (retention); true when there was one.</summary>
    public async Task<bool> DeleteAsync(string inputId, CancellationToken cancellationToken = default) =>
        (await container.GetBlobClient(BlobName(inputId)).DeleteIfExistsAsync(cancellationToken: cancellationToken)).Value;
}

/// <summary>An input in the report container: its id, its size raw and compressed, and whether this call stored it.</summary>
public sealed record StoredReportBlob(string Input, long Bytes, long CompressedBytes, bool Created);

/// <summary>When and through which door an input was first received, as its blob keeps it.</summary>
public sealed record ReportBlobReceipt(DateTimeOffset ReceivedAt, string Door);
