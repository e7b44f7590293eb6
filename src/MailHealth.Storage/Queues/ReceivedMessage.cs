namespace MailHealth.Storage.Queues;

/// <summary>A message taken from a queue: delete it with <see cref="StorageQueue{T}.DeleteAsync"/> once handled, or it comes back after its visibility timeout.</summary>
public sealed record ReceivedMessage<T>(T Message, string MessageId, string PopReceipt, long DequeueCount);
