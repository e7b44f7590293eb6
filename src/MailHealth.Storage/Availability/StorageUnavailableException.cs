namespace MailHealth.Storage.Availability;

/// <summary>
/// Storage could not do what was asked, for a reason that is not the request's: it did not answer
/// in time, could not be reached, answered that it is busy or failing (408, 429, 5xx after the
/// client's retries), or refused this identity (401, 403: a role assignment that has not
/// propagated yet). Nothing is known to be written; trying again later may succeed. The message
/// says what happened in words fit for a log or an API answer: never a key, a SAS or a URL.
/// </summary>
public sealed class StorageUnavailableException : Exception
{
    public StorageUnavailableException(string message)
        : base(message)
    {
    }

    public StorageUnavailableException()
    {
    }

    public StorageUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The service's HTTP status when it answered (503, 403...); null when it did not answer at all.</summary>
    public int? Status { get; init; }

    /// <summary>The service's error code when it gave one (<c>ServerBusy</c>, <c>AuthorizationPermissionMismatch</c>).</summary>
    public string? ErrorCode { get; init; }
}
