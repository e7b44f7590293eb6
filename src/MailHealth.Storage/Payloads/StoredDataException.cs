namespace MailHealth.Storage.Payloads;

/// <summary>Stored data that cannot be read back as written: chunks missing or from another write, a length that does not match.</summary>
public sealed class StoredDataException : InvalidOperationException
{
    public StoredDataException(string message)
        : base(message)
    {
    }

    public StoredDataException()
    {
    }

    public StoredDataException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
