namespace MailHealth.ReceiverReports;

/// <summary>
/// A DMARC aggregate report (RFC 7489 appendix C; RFC 9990): its metadata, read first, and its
/// records, read from the document as <see cref="Records"/> is enumerated (once), never held as a
/// list: a report of 900,000 rows is aggregated while it streams.
/// </summary>
public sealed class AggregateReport
{
    private readonly AggregateRecordCursor _cursor;

    internal AggregateReport(AggregateMetadata metadata, AggregatePolicy policy, AggregateRecordCursor cursor)
    {
        Metadata = metadata;
        Policy = policy;
        _cursor = cursor;
    }

    public AggregateMetadata Metadata { get; }

    /// <summary>policy_published: the DMARC policy the receiver found for the domain.</summary>
    public AggregatePolicy Policy { get; }

    /// <summary>
    /// The records that could be read, in document order; one that cannot (a bad source_ip, a count
    /// that is no number) is left out and counted in the report's warnings. Enumerable once.
    /// </summary>
    public IEnumerable<AggregateRecord> Records => _cursor.Read();

    /// <summary>Records left out because they could not be read (so far, until <see cref="Records"/> has been read).</summary>
    public int DroppedRecords => _cursor.Dropped;

    internal void FinishRecords() => _cursor.Finish();
}
