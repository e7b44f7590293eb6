namespace MailHealth.ReceiverReports;

/// <summary>
/// The records of one aggregate report, read from its XML one at a time as they are asked for.
/// Owns the reader and the input under it, released at the end of the document, at the first
/// failure (which turns the report invalid), or when <see cref="Finish"/> reads what is left.
/// </summary>
internal sealed class AggregateRecordCursor(ReportXmlReader xml, int feedbackDepth, bool onFirstRecord, IDisposable? input, ReportWarnings warnings, CancellationToken cancellationToken)
{
    private readonly AggregateRecordReader _records = new(xml, warnings);
    private bool _pending = onFirstRecord;
    private bool _started;
    private bool _closed;
    private int _index;

    /// <summary>The report the records belong to: the one a failure turns invalid.</summary>
    public ReceivedReport? Report { get; set; }

    public int Dropped { get; private set; }

    public IEnumerable<AggregateRecord> Read()
    {
        if (_started)
        {
            throw new InvalidOperationException("The records of a report are read once, as they stream from the input.");
        }

        _started = true;
        return Enumerate();
    }

    /// <summary>Reads the records nobody asked for, so the report's status is final, and releases the input.</summary>
    public void Finish()
    {
        _started = true;
        while (TryNext(out _))
        {
        }
    }

    private IEnumerable<AggregateRecord> Enumerate()
    {
        while (TryNext(out var record))
        {
            if (record is not null)
            {
                yield return record;
            }
        }
    }

    /// <summary>Reads the next record; false at the end. A dropped record is a null record.</summary>
    private bool TryNext(out AggregateRecord? record)
    {
        record = null;
        if (_closed)
        {
            return false;
        }

        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            if (!MoveToRecord())
            {
                Close();
                return false;
            }

            record = _records.Read(++_index);
            if (record is null)
            {
                Dropped++;
            }

            return true;
        }
        catch (Exception e) when (ReadFailure.Reason(e) is { } reason)
        {
            Report?.Invalidate(reason);
            Close();
            return false;
        }
        catch
        {
            Close();
            throw;
        }
    }

    private bool MoveToRecord()
    {
        if (_pending)
        {
            _pending = false;
            return true;
        }

        while (xml.NextChild(feedbackDepth))
        {
            if (xml.Name == "record")
            {
                return true;
            }

            xml.Skip();
        }

        return false;
    }

    private void Close()
    {
        if (!_closed)
        {
            _closed = true;
            xml.Dispose();
            input?.Dispose();
        }
    }
}
