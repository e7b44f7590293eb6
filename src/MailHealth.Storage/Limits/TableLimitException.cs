namespace MailHealth.Storage.Limits;

/// <summary>
/// An entity or transaction that the Table service would refuse (too large, too many properties,
/// too many operations). Thrown before anything is sent: it is a bug in how the data was laid out,
/// never a reason to cut data.
/// </summary>
public sealed class TableLimitException : InvalidOperationException
{
    public TableLimitException(string message)
        : base(message)
    {
    }

    public TableLimitException()
    {
    }

    public TableLimitException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
