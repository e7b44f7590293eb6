using MailHealth.Monitor.ReceiverReports;
using MailHealth.Storage.Queues;
using Microsoft.Azure.Functions.Worker;

namespace MailHealth.Functions.Triggers;

/// <summary>
/// One report input off the queue (the API stored and queued it): each report in it stored once.
/// The message names the stored input, never carries it. A storage failure throws: the host
/// retries the message (the retry gives the same totals) and moves it to the poison queue after
/// host.json's maxDequeueCount; an invalid report is an outcome, not a failure.
/// </summary>
public sealed class IngestReport(ReportIngestion ingestion)
{
    public const string Name = nameof(IngestReport);

    [Function(Name)]
    public async Task RunAsync(
        [QueueTrigger(FunctionsSettings.ReportQueueExpression, Connection = FunctionsSettings.StorageConnection)] string message,
        CancellationToken cancellationToken) =>
        await ingestion.ProcessAsync(StorageQueue<ReportRequest>.Deserialize(message), cancellationToken).ConfigureAwait(false);
}
