namespace MailHealth.Storage.Queues;

/// <summary>Approximate message counts of a queue and its poison queue, for the health endpoint.</summary>
public sealed record QueueDepth(string QueueName, int Messages, int PoisonMessages);
