namespace MailHealth.Storage.ReceiverReports;

/// <summary>A row of the layout before buckets (row key the escaped address) and the name it holds.</summary>
internal sealed record LegacySenderRow(string RowKey, StoredSender Sender);
