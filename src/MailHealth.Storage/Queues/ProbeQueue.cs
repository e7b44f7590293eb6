using MailHealth.Storage.Configuration;

namespace MailHealth.Storage.Queues;

/// <summary>The probe requests: one message per target and schedule slot (<see cref="StorageOptions.ProbeQueueName"/>).</summary>
public sealed class ProbeQueue(StorageAccount account) : StorageQueue<ProbeRequest>(account, account.Options.ProbeQueueName);
