namespace MailHealth.Storage.Queues;

/// <summary>
/// A report queue message: process the input stored under <paramref name="Input"/> (its SHA-256,
/// the blob's name without <c>.gz</c>), received at <paramref name="ReceivedAt"/> through
/// <paramref name="Door"/>. The message names the input, never carries it: a report is megabytes,
/// a queue message at most 64 KiB.
/// </summary>
public sealed record ReportRequest(string Input, DateTimeOffset ReceivedAt, string Door);
