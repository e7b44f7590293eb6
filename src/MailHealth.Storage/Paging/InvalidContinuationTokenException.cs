namespace MailHealth.Storage.Paging;

/// <summary>A continuation token that this query did not hand out (malformed, forged, or from another query): the caller's input, answer 400.</summary>
public sealed class InvalidContinuationTokenException : ArgumentException
{
    public InvalidContinuationTokenException(string message)
        : base(message)
    {
    }

    public InvalidContinuationTokenException()
    {
    }

    public InvalidContinuationTokenException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
