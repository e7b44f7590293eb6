using MailHealth.ReceiverReports;

namespace MailHealth.ReportTotals;

/// <summary>
/// The sessions of one TLS report added up per <see cref="TlsResultKey"/> (RFC 8460 section 4.4):
/// each policy's successful and failed sessions, and the failed sessions of each failure type and
/// MX host. Doubles, as <see cref="DmarcCounts"/>, so a report can be spread over days.
/// </summary>
public sealed record TlsSessionCounts(double Successful, double Failed)
{
    /// <summary>The counts of <paramref name="report"/> per key, entries of the same key added.</summary>
    public static IReadOnlyDictionary<TlsResultKey, TlsSessionCounts> Of(TlsReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var counts = new Dictionary<TlsResultKey, TlsSessionCounts>();
        foreach (var policy in report.Policies)
        {
            Add(counts, new TlsResultKey(policy.PolicyType, string.Join(' ', policy.MxHosts), TlsResultKey.Summary), new TlsSessionCounts(policy.SuccessfulSessions, policy.FailedSessions));
            foreach (var failure in policy.Failures)
            {
                var host = (failure.ReceivingMxHostname ?? "").Trim().TrimEnd('.').ToLowerInvariant();
                Add(counts, new TlsResultKey(policy.PolicyType, host, failure.ResultType), new TlsSessionCounts(0, failure.FailedSessions));
            }
        }

        return counts;
    }

    public TlsSessionCounts Share(double share) => new(Successful * share, Failed * share);

    public TlsSessionCounts Plus(TlsSessionCounts other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new TlsSessionCounts(Successful + other.Successful, Failed + other.Failed);
    }

    private static void Add(Dictionary<TlsResultKey, TlsSessionCounts> counts, TlsResultKey key, TlsSessionCounts add) =>
        counts[key] = counts.TryGetValue(key, out var before) ? before.Plus(add) : add;
}
