using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;

namespace MailHealth.Storage.Availability;

/// <summary>
/// The storage clients' last word on a request, placed before their retry policy so that it sees
/// what is left after the retries: a failure that is not the request's own (no answer, a network
/// error, 408, 429, 5xx, 401 and 403) becomes a <see cref="StorageUnavailableException"/> and
/// starts or extends an outage in <see cref="StorageAvailability"/>; any other answer ends one.
/// Statuses the stores expect and handle themselves (404, 409, 412, a 400 for a stale
/// continuation) pass through. A cancelled request stays a cancellation: whose deadline it was is
/// the caller's to say (<see cref="StorageDeadline"/>).
/// </summary>
internal sealed class StorageFailurePolicy(StorageAvailability availability) : HttpPipelinePolicy
{
    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        try
        {
            await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not StorageUnavailableException)
        {
            throw Failure(message, e);
        }

        Judge(message);
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        try
        {
            ProcessNext(message, pipeline);
        }
        catch (Exception e) when (e is not StorageUnavailableException)
        {
            throw Failure(message, e);
        }

        Judge(message);
    }

    /// <summary>Whether an answer's status means "not now" rather than "not this request".</summary>
    internal static bool IsUnavailable(int status) => status is 401 or 403 or 408 or 429 or >= 500;

    private void Judge(HttpMessage message)
    {
        var status = message.Response.Status;
        if (!IsUnavailable(status))
        {
            availability.Answered();
            return;
        }

        var code = message.Response.Headers.TryGetValue("x-ms-error-code", out var given) ? given : null;
        var reason = status is 401 or 403
            ? $"storage refused this identity ({status}{(code is null ? "" : " " + code)}): a role assignment may not have propagated yet"
            : $"storage answered {status}{(code is null ? "" : " " + code)}";
        availability.Failed(reason);
        throw new StorageUnavailableException(reason) { Status = status, ErrorCode = code };
    }

    private Exception Failure(HttpMessage message, Exception e)
    {
        if (message.CancellationToken.IsCancellationRequested)
        {
            // The retry policy wraps a cancellation that came after a failed try with that failure
            // (AggregateException): a cancelled call must read as cancelled, whatever came before.
            return e as OperationCanceledException ?? new OperationCanceledException("the storage request was cancelled", e, message.CancellationToken);
        }

        var reason = Describe(e);
        availability.Failed(reason);
        return new StorageUnavailableException(reason, e);
    }

    private static string Describe(Exception e) => e switch
    {
        AggregateException { InnerExceptions.Count: > 0 } tries => $"{Describe(tries.InnerExceptions[^1])} ({tries.InnerExceptions.Count} tries)",
        OperationCanceledException => "storage did not answer within the network timeout",
        AuthenticationFailedException or CredentialUnavailableException => "no token for storage could be had from the identity",
        _ => "storage could not be reached",
    };
}
