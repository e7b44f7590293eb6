namespace MailHealth.Monitor.ReceiverReports;

/// <summary>
/// Where the DKIM selectors that receivers saw signing a target's mail (auth_results, verified,
/// for the target's own domain) are remembered, so the DKIM check can check the keys in use.
/// Report ingestion only records; what the check reads is the store's business.
/// </summary>
public interface IReportedSelectors
{
    /// <summary>Records that a report whose range ended at <paramref name="at"/> named <paramref name="selectors"/> for target <paramref name="targetId"/>; recording the same again changes nothing.</summary>
    Task RecordAsync(string targetId, IReadOnlyCollection<string> selectors, DateTimeOffset at, CancellationToken cancellationToken);
}
