using System.Globalization;
using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MimeKit;

namespace MailHealth.ReceiverReports;

/// <summary>
/// Finds every report in one input, whatever carries it: a whole e-mail message (attachments,
/// inline parts, a report as the body, <c>multipart/report; report-type=tlsrpt</c>), a zip of
/// several documents, a gzip (with trailing bytes, or named ".zip"), or the XML or JSON itself.
/// The format of each layer is recognised from its bytes (<see cref="ContentSniffer"/>). Each
/// report is returned as it is reached, its records streaming (<see cref="ReceivedReport"/>); an
/// input without any report is one invalid result that says what it is instead.
/// </summary>
/// <remarks>
/// The caps of <see cref="ReceiverReportSettings"/> hold throughout: the input is at most
/// <c>MaxMessageBytes</c> (refused before it is read further), the documents decompressed from it
/// at most <c>MaxDecompressedBytes</c> together (the decompression stops there), an archive or a
/// message at most <c>MaxArchiveEntries</c> entries or parts (refused before they are read). A
/// report that reaches a cap is invalid with the cap named, and nothing after it is read.
/// </remarks>
public sealed class ReportInputReader(ReceiverReportSettings settings)
{
    /// <summary>Layers of containers inside each other (a gzip in a zip in a message is three).</summary>
    public const int MaxNesting = 4;

    /// <summary>Reads <paramref name="input"/> (at most the message cap of it) and returns each report it holds.</summary>
    public async IAsyncEnumerable<ReceivedReport> ReadAsync(Stream input, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var bytes = await LoadAsync(input, cancellationToken).ConfigureAwait(false);
        if (bytes is null)
        {
            yield return ReceivedReport.Invalid(null, null, TooLarge());
            yield break;
        }

        foreach (var report in Read(bytes.Value, cancellationToken))
        {
            yield return report;
        }
    }

    /// <summary>Each report in an input already in memory.</summary>
    public IEnumerable<ReceivedReport> Read(ReadOnlyMemory<byte> input, CancellationToken cancellationToken)
    {
        if (input.Length > settings.MaxMessageBytes)
        {
            return [ReceivedReport.Invalid(null, null, TooLarge())];
        }

        var array = MemoryMarshal.TryGetArray(input, out var segment) ? segment : new ArraySegment<byte>(input.ToArray());
        var stream = new MemoryStream(array.Array!, array.Offset, array.Count, writable: false);
        var budget = new ByteBudget(settings.MaxDecompressedBytes, ReceiverReportSettings.Refusal(nameof(ReceiverReportSettings.MaxDecompressedBytes), settings.MaxDecompressedBytes, "decompressed bytes"));
        return Complete(() => new Scope(settings, budget, cancellationToken).Content(stream, null, 0), budget);
    }

    /// <summary>
    /// Hands each report over and then reads what its consumer left of it, so its status is final
    /// before the next one is reached; stops after a report that reached the decompression cap.
    /// Nothing is read before the first report is asked for.
    /// </summary>
    private static IEnumerable<ReceivedReport> Complete(Func<IEnumerable<ReceivedReport>> reports, ByteBudget budget)
    {
        foreach (var report in reports())
        {
            yield return report;
            report.Finish();
            if (budget.Exhausted)
            {
                yield break;
            }
        }
    }

    /// <summary>The input in memory, or null when it is larger than the message cap (read no further than one byte past it).</summary>
    private async Task<ReadOnlyMemory<byte>?> LoadAsync(Stream input, CancellationToken cancellationToken)
    {
        var max = settings.MaxMessageBytes;
        if (input.CanSeek && input.Length - input.Position > max)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await input.ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, max + 1 - buffer.Length)), cancellationToken).ConfigureAwait(false)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > max)
            {
                return null;
            }
        }

        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }

    private string TooLarge() => ReceiverReportSettings.Refusal(nameof(ReceiverReportSettings.MaxMessageBytes), settings.MaxMessageBytes, "bytes");

    private static string Within(string? outer, string inner) => outer is null ? inner : $"{outer}, {inner}";

    /// <summary>One input's walk through its layers, with its decompression budget.</summary>
    private sealed class Scope(ReceiverReportSettings settings, ByteBudget budget, CancellationToken cancellationToken)
    {
        /// <summary>The reports in <paramref name="stream"/>, whatever its format; disposes the stream when done with it.</summary>
        public IEnumerable<ReceivedReport> Content(Stream stream, string? part, int depth)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ContentFormat format;
            Stream content;
            try
            {
                (format, content) = ContentSniffer.Peek(stream);
            }
            catch (Exception e) when (ReadFailure.Reason(e) is { } reason)
            {
                stream.Dispose();
                return [ReceivedReport.Invalid(part, null, reason)];
            }

            return Dispatch(format, content, part, depth);
        }

        private IEnumerable<ReceivedReport> Dispatch(ContentFormat format, Stream content, string? part, int depth)
        {
            if (depth >= MaxNesting && format is ContentFormat.Gzip or ContentFormat.Zip or ContentFormat.Message)
            {
                content.Dispose();
                return [ReceivedReport.Invalid(part, null, string.Create(CultureInfo.InvariantCulture, $"refused: containers nested more than {MaxNesting} deep"))];
            }

            switch (format)
            {
                case ContentFormat.Gzip:
                    return Content(new CappedStream(new GZipStream(content, CompressionMode.Decompress), budget), part, depth + 1);
                case ContentFormat.Zip:
                    return Zip(content, part, depth + 1);
                case ContentFormat.Message:
                    return Message(content, part, depth + 1);
                case ContentFormat.Xml:
                    return [AggregateReportParser.Read(content, part, content, cancellationToken)];
                case ContentFormat.Json:
                    using (content)
                    {
                        return [TlsReportParser.Read(content, part, settings.MaxTlsReportBytes)];
                    }
            }

            content.Dispose();
            return [ReceivedReport.Invalid(part, null, format switch
            {
                ContentFormat.XmlWithDtd => "refused: the XML declares a DTD (<!DOCTYPE>); no DTD is processed, so no entity is expanded and nothing is fetched",
                ContentFormat.Html => "not a report: an HTML document",
                ContentFormat.Empty => "not a report: empty",
                _ => "not a report: the bytes are none of gzip, zip, XML, JSON or an e-mail message",
            })];
        }

        private IEnumerable<ReceivedReport> Zip(Stream content, string? part, int depth)
        {
            var opened = OpenZip(content, part, out var refusal);
            if (opened is null)
            {
                yield return refusal!;
                yield break;
            }

            using var archive = opened.Value.Archive;
            foreach (var entry in opened.Value.Entries)
            {
                var name = Within(part, $"entry '{entry.FullName}'");
                if (entry.Length > budget.Remaining)
                {
                    // The entry says how large it is: refused without decompressing it.
                    budget.Exhaust();
                    yield return ReceivedReport.Invalid(name, null, budget.Refusal);
                    yield break;
                }

                Stream? stream = null;
                string? problem = null;
                try
                {
                    stream = entry.Open();
                }
                catch (Exception e) when (e is InvalidDataException or NotSupportedException)
                {
                    problem = $"the zip entry cannot be read: {e.Message}";
                }

                if (stream is null)
                {
                    yield return ReceivedReport.Invalid(name, null, problem!);
                    continue;
                }

                foreach (var report in Content(new CappedStream(stream, budget), name, depth))
                {
                    yield return report;
                }
            }
        }

        /// <summary>The archive and its file entries, or null with the invalid result that says why not.</summary>
        private (ZipArchive Archive, List<ZipArchiveEntry> Entries)? OpenZip(Stream content, string? part, out ReceivedReport? refusal)
        {
            refusal = null;
            var max = settings.MaxArchiveEntries;
            try
            {
                // ZipArchive seeks; a zip inside a gzip is taken into memory, within the message cap.
                var seekable = content.CanSeek ? content : Buffer(content, settings.MaxMessageBytes);
                var declared = ZipDirectory.DeclaredEntries(seekable);
                if (declared > max)
                {
                    seekable.Dispose();
                    refusal = ReceivedReport.Invalid(part, null, string.Create(CultureInfo.InvariantCulture,
                        $"refused: a zip archive of {declared:N0} entries, more than {ReceiverReportSettings.Section}:{nameof(ReceiverReportSettings.MaxArchiveEntries)} ({max:N0})"));
                    return null;
                }

                var archive = new ZipArchive(seekable, ZipArchiveMode.Read, leaveOpen: false);
                return (archive, [.. archive.Entries.Where(e => !e.FullName.EndsWith('/'))]);
            }
            catch (Exception e) when (ReadFailure.Reason(e) is { } reason)
            {
                content.Dispose();
                refusal = ReceivedReport.Invalid(part, null, e is InvalidDataException ? $"a corrupt zip archive: {e.Message}" : reason);
                return null;
            }
        }

        private IEnumerable<ReceivedReport> Message(Stream content, string? part, int depth)
        {
            MimeMessage message;
            using (content)
            {
                try
                {
                    message = MimeMessage.Load(content, cancellationToken);
                }
                catch (FormatException e)
                {
                    return [ReceivedReport.Invalid(part, null, $"not a report: unreadable as an e-mail message ({e.Message})")];
                }
            }

            var leaves = ReportMessage.Leaves(message);
            var max = settings.MaxArchiveEntries;
            if (leaves.Count > max)
            {
                message.Dispose();
                return [ReceivedReport.Invalid(part, null, string.Create(CultureInfo.InvariantCulture,
                    $"refused: a message of {leaves.Count:N0} parts, more than {ReceiverReportSettings.Section}:{nameof(ReceiverReportSettings.MaxArchiveEntries)} ({max:N0})"))];
            }

            return MessageReports(message, leaves, part, depth);
        }

        private IEnumerable<ReceivedReport> MessageReports(MimeMessage message, List<MimePart> leaves, string? part, int depth)
        {
            using (message)
            {
                var found = 0;
                foreach (var leaf in leaves)
                {
                    if (leaf.Content is null)
                    {
                        continue;
                    }

                    var (format, content) = ContentSniffer.Peek(leaf.Content.Open());
                    if (format is not (ContentFormat.Gzip or ContentFormat.Zip or ContentFormat.Xml or ContentFormat.XmlWithDtd or ContentFormat.Json))
                    {
                        // Text, HTML, images, delivery status: the message's own words, not a report.
                        content.Dispose();
                        continue;
                    }

                    found++;
                    foreach (var report in Dispatch(format, content, Within(part, ReportMessage.Describe(leaf)), depth))
                    {
                        yield return report;
                    }
                }

                if (found == 0)
                {
                    yield return ReceivedReport.Invalid(part, null, ReportMessage.NoReportReason(message, leaves));
                }
            }
        }

        /// <summary>A stream that cannot seek, taken into memory up to <paramref name="max"/> bytes.</summary>
        private static MemoryStream Buffer(Stream content, long max)
        {
            var buffer = new MemoryStream();
            using (content)
            {
                new CappedStream(content, new ByteBudget(max, ReceiverReportSettings.Refusal(nameof(ReceiverReportSettings.MaxMessageBytes), max, "bytes for a zip archive inside compressed data")), leaveOpen: true).CopyTo(buffer);
            }

            buffer.Position = 0;
            return buffer;
        }
    }
}
