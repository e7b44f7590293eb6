using MailHealth.Storage.Configuration;

namespace MailHealth.Storage.Queues;

/// <summary>The report inputs to process: one message per input received by the API (<see cref="StorageOptions.ReportQueueName"/>).</summary>
public sealed class ReportQueue(StorageAccount account) : StorageQueue<ReportRequest>(account, account.Options.ReportQueueName);
