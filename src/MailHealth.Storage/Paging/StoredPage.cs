namespace MailHealth.Storage.Paging;

/// <summary>One page of a query. <see cref="ContinuationToken"/> is opaque: pass it back unchanged for the next page; null when there is none.</summary>
public sealed record StoredPage<T>(IReadOnlyList<T> Items, string? ContinuationToken);
