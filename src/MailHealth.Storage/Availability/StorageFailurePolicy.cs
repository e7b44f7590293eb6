using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;

namespace MailHealth.Storage.Availability;

/// <summary>
/// The storage clients' last word on a request, placed before their retry policy so that it sees
/// what is left after the retries: a failure that is not the request's own (no answer, a network
/// error, 408, 429, 5xx, 401 and 403, a table, queue or container that does not exist) becomes a
/// <see cref="StorageUnavailableException"/> and starts or extends an outage in
/// <see cref="StorageAvailability"/>; any other answer ends one. Statuses the stores expect and
/// handle themselves (an entity not found, 409, 412, a 400 for a stale continuation) pass through.
/// A cancelled request stays a cancellation: whose deadline it was is the caller's to say
/// (<see cref="StorageDeadline"/>).
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

    /// <summary>
    /// Why an answer means "not now" rather than "not this request", or null when it does not:
    /// busy or failing (408, 429, 5xx), refusing this identity (401, 403), or without the table or
    /// queue asked for (404 TableNotFound, QueueNotFound, ContainerNotFound: the start-up has not created them yet).
    /// </summary>
    internal static string? Unavailability(int status, string? code) => status switch
    {
        401 or 403 => $"storage refused this identity ({status}{(code is null ? "" : " " + code)}): a role assignment may not have propagated yet",
        404 when code is "TableNotFound" or "QueueNotFound" or "ContainerNotFound" => $"storage has no such table, queue or container ({code}): they are not created yet",
        408 or 429 or >= 500 => $"storage answered {status}{(code is null ? "" : " " + code)}",
        _ => null,
    };

    private void Judge(HttpMessage message)
    {
        var response = message.Response;
        // Not IsError: a client that expects a 404 (GetEntityIfExists) marks it no error, but a 404 of a missing table is one.
        var code = response.Status >= 400 ? ErrorCode(response) : null;
        if (Unavailability(response.Status, code) is not { } reason)
        {
            availability.Answered();
            return;
        }

        availability.Failed(reason);
        throw new StorageUnavailableException(reason) { Status = response.Status, ErrorCode = code };
    }

    /// <summary>The service's error code: the queue service's header, or the table service's <c>odata.error.code</c> in the body.</summary>
    private static string? ErrorCode(Response response)
    {
        if (response.Headers.TryGetValue("x-ms-error-code", out var header))
        {
            return header;
        }

        try
        {
            using var body = JsonDocument.Parse(response.Content.ToMemory());
            return body.RootElement.TryGetProperty("odata.error", out var error) && error.TryGetProperty("code", out var code) ? code.GetString() : null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Not JSON, or a body that was streamed rather than buffered: no code then.
            return null;
        }
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
