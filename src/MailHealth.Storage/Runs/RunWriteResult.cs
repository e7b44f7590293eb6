namespace MailHealth.Storage.Runs;

/// <summary>What writing one run cost: entities, their bytes as the service counts them, and transactions (billed operations).</summary>
public sealed record RunWriteResult(int Entities, long Bytes, int Transactions, int ReportJsonBytes, int ReportGzipBytes);
