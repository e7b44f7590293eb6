namespace MailHealth.Storage.ReceiverReports;

/// <summary>What a write of names did: the transactions it sent, and the addresses whose names it could not keep (their bucket full: <see cref="DmarcSenderStore.MaxNamesPerBucket"/>).</summary>
public sealed record DmarcSenderWrite(int Transactions, IReadOnlyList<string> Refused);
