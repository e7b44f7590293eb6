using System.Globalization;
using MailHealth.Monitor.Caching;
using MailHealth.ReceiverReports;
using MailHealth.Storage.Availability;
using MailHealth.Storage.Queues;
using MailHealth.Storage.ReceiverReports;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MailHealth.Monitor.ReceiverReports;

/// <summary>
/// The one way report inputs come in, whatever the door (docs/architecture.md, "The flow of a
/// report"): the input is kept as it arrived, compressed, under the SHA-256 of its bytes
/// (<see cref="ReportBlobStore"/>); then each report in it is stored once
/// (<see cref="ReportProcessor"/>) and what became of each is recorded (<see cref="ReportInputLog"/>).
/// The API records an input as received and queues it (<see cref="SubmitAsync"/>: a report of
/// 900,000 rows takes longer than a request should), the command line and the mailbox process it
/// at once (<see cref="IngestAsync"/>: they say what became of it, and the mailbox moves a message
/// only once its reports are committed), the queue's consumers call <see cref="ProcessAsync"/>.
/// The same bytes received again are the same input: their reports are not processed again.
/// </summary>
public sealed partial class ReportIngestion(
    ReportBlobStore blobs,
    ReportInputLog log,
    ReportQueue queue,
    ReportProcessor processor,
    ReportStorageCalls storage,
    IOptions<ReceiverReportSettings> parsing,
    WriteClock writes,
    TimeProvider time,
    ILogger<ReportIngestion> logger)
{
    /// <summary>The largest input taken (<see cref="ReceiverReportSettings.MaxMessageBytes"/>): a door refuses a larger one before it is stored.</summary>
    public long MaxInputBytes => parsing.Value.MaxMessageBytes;

    /// <summary>
    /// Stores <paramref name="raw"/> and processes it now: the command line's and the mailbox's way.
    /// The record of what became of each report; for an input received and processed before, each
    /// of its reports as a duplicate. Bytes never stored before are processed without a
    /// "received" record first: nothing reads one in between, a crash leaves nothing counted (the
    /// ledger's commit is what counts), and the door stores the input again (the mailbox moves a
    /// message only after this returns), which finds the blob and processes what was not recorded.
    /// </summary>
    /// <exception cref="StorageUnavailableException">Storage failed: nothing counts that was not committed, and ingesting the input again finishes the job.</exception>
    public async Task<ReportInputRecord> IngestAsync(ReadOnlyMemory<byte> raw, string door, CancellationToken cancellationToken)
    {
        var (earlier, request, created) = await KeepAsync(raw, door, cancellationToken).ConfigureAwait(false);
        // The bytes are in hand: the blob is not read back.
        return earlier is { State: ReportInputState.Processed }
            ? Repeated(earlier)
            : await ProcessAsync(request, raw, raw.Length, firstAttempt: created, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Stores <paramref name="raw"/>, records it as received and queues it for processing: the
    /// API's way (it answers "queued", and the record says so until a worker is done). Not queued
    /// again when it was processed before: the record then says what became of its reports, each a
    /// duplicate now.
    /// </summary>
    public async Task<ReportSubmission> SubmitAsync(ReadOnlyMemory<byte> raw, string door, CancellationToken cancellationToken)
    {
        var (earlier, request, _) = await KeepAsync(raw, door, cancellationToken).ConfigureAwait(false);
        var received = earlier;
        if (received is null)
        {
            var receipt = new ReportInputRecord { Input = request.Input, ReceivedAt = request.ReceivedAt, Door = request.Door, Bytes = raw.Length };
            (received, _) = await storage.RunAsync(ct => log.ReceiveAsync(receipt, ct), cancellationToken).ConfigureAwait(false);
        }

        if (received.State == ReportInputState.Processed)
        {
            return new ReportSubmission(Repeated(received), Queued: false);
        }

        await storage.RunAsync(ct => queue.SendAsync(new ReportRequest(received.Input, received.ReceivedAt, received.Door), null, ct), cancellationToken).ConfigureAwait(false);
        return new ReportSubmission(received, Queued: true);
    }

    /// <summary>
    /// Queued inputs processed at once by one process, whichever host: each may be
    /// <see cref="ReceiverReportSettings.MaxMessageBytes"/> held in memory while its reports are
    /// read. serve's queue worker takes no more messages than this; the Functions host hands its
    /// trigger a batch (host.json's batchSize and newBatchThreshold, one setting for every queue),
    /// and the messages past this bound wait here, kept invisible by the host, instead of each
    /// holding its input in memory at once.
    /// </summary>
    public const int MaxInputsInFlight = 2;

    /// <summary>The slots of <see cref="MaxInputsInFlight"/>: a queued input is processed holding one.</summary>
    internal SemaphoreSlim InputSlots { get; } = new(MaxInputsInFlight, MaxInputsInFlight);

    /// <summary>
    /// Processes a stored input: each report in it stored once, and the outcomes recorded. A
    /// request for an input already processed (a repeated message) changes nothing and returns its
    /// record. At most <see cref="MaxInputsInFlight"/> at once in this process; the others wait.
    /// </summary>
    /// <exception cref="StorageUnavailableException">Storage failed: the message is retried, and the retry gives the same totals.</exception>
    public async Task<ReportInputRecord> ProcessAsync(ReportRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await InputSlots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await ProcessStoredAsync(request, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            InputSlots.Release();
        }
    }

    private async Task<ReportInputRecord> ProcessStoredAsync(ReportRequest request, CancellationToken cancellationToken)
    {
        var earlier = await storage.RunAsync(ct => log.GetProcessedAsync(request.Input, request.ReceivedAt, ct), cancellationToken).ConfigureAwait(false);
        if (earlier is not null)
        {
            return earlier;
        }

        var raw = await storage.RunAsync(ct => blobs.GetAsync(request.Input, MaxInputBytes, ct), cancellationToken).ConfigureAwait(false);
        // A null array must stay null: converted (even a null literal beside a memory in a
        // conditional is), it would be an empty input.
        ReadOnlyMemory<byte>? content = null;
        if (raw is not null)
        {
            content = raw;
        }

        // The size of an input whose blob is gone is what its record of receipt says.
        var bytes = raw?.Length ?? (await storage.RunAsync(ct => log.GetAsync(request.Input, null, ct), cancellationToken).ConfigureAwait(false))?.Bytes ?? 0;
        return await ProcessAsync(request, content, bytes, firstAttempt: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Stores each report of <paramref name="raw"/>, the input's bytes (null: its blob is gone), and
    /// records the outcomes. <paramref name="firstAttempt"/>: its blob was stored by this call, so
    /// no attempt before wrote rows of it (<see cref="ReportProcessor.ProcessAsync"/>).
    /// </summary>
    private async Task<ReportInputRecord> ProcessAsync(ReportRequest request, ReadOnlyMemory<byte>? raw, long bytes, bool firstAttempt, CancellationToken cancellationToken)
    {
        var outcomes = new List<ReportOutcome>();
        if (raw is not { } content)
        {
            outcomes.Add(new ReportOutcome { Status = ReportOutcomeStatus.Invalid, Reason = "the stored input is gone from the report container" });
        }
        else
        {
            var index = 0;
            foreach (var report in new ReportInputReader(parsing.Value).Read(content, cancellationToken))
            {
                outcomes.Add(await processor.ProcessAsync(report, index++, request, firstAttempt, cancellationToken).ConfigureAwait(false));
            }
        }

        var record = new ReportInputRecord
        {
            Input = request.Input,
            ReceivedAt = request.ReceivedAt,
            Door = request.Door,
            Bytes = bytes,
            State = ReportInputState.Processed,
            ProcessedAt = time.GetUtcNow(),
            Reports = outcomes,
        };
        try
        {
            await storage.RunAsync(ct => log.CompleteAsync(record, ct), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // After the write, failed or not (part of it may have landed): the API's copies of these targets' receivers' view go.
            writes.ProcessedReports(outcomes.Where(o => o.Status == ReportOutcomeStatus.Stored).SelectMany(o => o.Targets).Distinct(StringComparer.Ordinal));
        }

        LogProcessed(
            logger,
            request.Input,
            request.Door,
            outcomes.Count(o => o.Status == ReportOutcomeStatus.Stored),
            outcomes.Count(o => o.Status == ReportOutcomeStatus.Duplicate),
            outcomes.Count(o => o.Status == ReportOutcomeStatus.Invalid));
        return record;
    }

    /// <summary>
    /// Records an input a door refused without reading it (the mailbox's message over
    /// <see cref="MaxInputBytes"/>, judged by its size before it is fetched): processed, with one
    /// invalid outcome saying why, and no blob. <paramref name="input"/> names it as the door can
    /// (its bytes were never read); recorded again, it stays one record.
    /// </summary>
    public async Task<ReportInputRecord> RefuseAsync(string input, long bytes, string door, string reason, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var (received, _) = await storage.RunAsync(ct => log.ReceiveAsync(new ReportInputRecord { Input = input, ReceivedAt = now, Door = door, Bytes = bytes }, ct), cancellationToken).ConfigureAwait(false);
        if (received.State == ReportInputState.Processed)
        {
            return received;
        }

        var record = received with
        {
            State = ReportInputState.Processed,
            ProcessedAt = now,
            Reports = [new ReportOutcome { Status = ReportOutcomeStatus.Invalid, Reason = reason }],
        };
        await storage.RunAsync(ct => log.CompleteAsync(record, ct), cancellationToken).ConfigureAwait(false);
        LogProcessed(logger, input, door, 0, 0, 1);
        return record;
    }

    /// <summary>
    /// The record of an input; null when no input of that id was received. Its blob's metadata says
    /// when it was received, which finds its record in the time index; an input without a blob (a
    /// door's refusal) has its own record.
    /// </summary>
    public async Task<ReportInputRecord?> GetAsync(string input, CancellationToken cancellationToken)
    {
        var receipt = await storage.RunAsync(ct => blobs.GetReceiptAsync(input, ct), cancellationToken).ConfigureAwait(false);
        return await storage.RunAsync(ct => log.GetAsync(input, receipt?.ReceivedAt, ct), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A page of the reports of the inputs received in the query's range, newest first.</summary>
    public Task<Storage.Paging.StoredPage<ListedReport>> ListAsync(ReportInputQuery query, CancellationToken cancellationToken) =>
        storage.RunAsync(ct => log.ListAsync(query, ct), cancellationToken);

    /// <summary>
    /// Keeps the input (<see cref="ReportBlobStore.PutAsync"/>); its record when it was processed
    /// before, how to process it, and whether this call stored its blob. Bytes never kept before have no record (none is read), and
    /// are received now through <paramref name="door"/>. Bytes kept before were received when their
    /// blob says, which finds their record in the time index; when it holds none (a door crashed
    /// before recording them, or is processing them right now, or retention removed the record, or
    /// the API queued them), they are processed as received then, so that every record of one
    /// input has the same keys.
    /// </summary>
    private async Task<(ReportInputRecord? Earlier, ReportRequest Request, bool Created)> KeepAsync(ReadOnlyMemory<byte> raw, string door, CancellationToken cancellationToken)
    {
        if (raw.Length > MaxInputBytes)
        {
            throw new ArgumentOutOfRangeException(nameof(raw), raw.Length, ReceiverReportSettings.Refusal(nameof(ReceiverReportSettings.MaxMessageBytes), MaxInputBytes, "bytes"));
        }

        var now = time.GetUtcNow();
        var blob = await storage.RunAsync(ct => blobs.PutAsync(raw, now, door, ct), cancellationToken).ConfigureAwait(false);
        if (blob.Created)
        {
            return (null, new ReportRequest(blob.Input, now, door), true);
        }

        var receipt = await storage.RunAsync(ct => blobs.GetReceiptAsync(blob.Input, ct), cancellationToken).ConfigureAwait(false);
        var earlier = await storage.RunAsync(
            ct => receipt is null ? log.GetAsync(blob.Input, null, ct) : log.GetProcessedAsync(blob.Input, receipt.ReceivedAt, ct),
            cancellationToken).ConfigureAwait(false);
        return earlier is not null
            ? (earlier, new ReportRequest(earlier.Input, earlier.ReceivedAt, earlier.Door), false)
            : (null, new ReportRequest(blob.Input, receipt?.ReceivedAt ?? now, receipt?.Door ?? door), false);
    }

    /// <summary>An input that came again: its reports counted the first time, so each stored one is a duplicate now.</summary>
    private static ReportInputRecord Repeated(ReportInputRecord earlier) => earlier with
    {
        Reports = [.. earlier.Reports.Select(o => o.Status == ReportOutcomeStatus.Invalid ? o : o with
        {
            Status = ReportOutcomeStatus.Duplicate,
            Reason = string.Create(CultureInfo.InvariantCulture, $"the same input was received on {earlier.ReceivedAt:yyyy-MM-dd HH:mm:ss} UTC; its reports count once"),
            DuplicateOf = o.DuplicateOf ?? earlier.Input,
        })],
    };


    [LoggerMessage(EventId = 2800, Level = LogLevel.Information, Message = "Report input {Input} ({Door}) processed: {Stored} stored, {Duplicates} duplicate, {Invalid} invalid")]
    private static partial void LogProcessed(ILogger logger, string input, string door, int stored, int duplicates, int invalid);
}

/// <summary>An input handed to the API: its record, and whether it was queued (false: it was processed before, and the record says how).</summary>
public sealed record ReportSubmission(ReportInputRecord Record, bool Queued);
