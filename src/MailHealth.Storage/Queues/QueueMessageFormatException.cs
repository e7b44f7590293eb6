namespace MailHealth.Storage.Queues;

/// <summary>A queue message body that is not the JSON this queue carries.</summary>
public sealed class QueueMessageFormatException : FormatException
{
    public QueueMessageFormatException(string message)
        : base(message)
    {
    }

    public QueueMessageFormatException()
    {
    }

    public QueueMessageFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
