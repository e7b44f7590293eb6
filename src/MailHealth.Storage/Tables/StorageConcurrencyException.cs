namespace MailHealth.Storage.Tables;

/// <summary>
/// A conditional write lost a race: the entity changed since it was read (ETag mismatch, 412) or
/// was created meanwhile (409). Nothing of the failed transaction was written; read again,
/// decide again and retry.
/// </summary>
public sealed class StorageConcurrencyException : Exception
{
    public StorageConcurrencyException(string message)
        : base(message)
    {
    }

    public StorageConcurrencyException()
    {
    }

    public StorageConcurrencyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
