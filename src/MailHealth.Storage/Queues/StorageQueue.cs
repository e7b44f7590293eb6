using System.Text.Json;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using MailHealth.Storage.Configuration;

namespace MailHealth.Storage.Queues;

/// <summary>
/// A queue of JSON messages of type <typeparamref name="T"/>, Base64-encoded on the wire as the
/// Azure Functions queue trigger expects, and its poison queue <c>{name}-poison</c> (where the
/// Functions host moves a message after its last failed attempt).
/// </summary>
public class StorageQueue<T>
    where T : class
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    protected StorageQueue(StorageAccount account, string name)
    {
        ArgumentNullException.ThrowIfNull(account);
        Client = account.Queues.GetQueueClient(name);
        PoisonClient = account.Queues.GetQueueClient(name + "-poison");
    }

    /// <summary>The queue (its client encodes Base64).</summary>
    public QueueClient Client { get; }

    public QueueClient PoisonClient { get; }

    public string Name => Client.Name;

    /// <summary>The message body as the Functions trigger binds it: camelCase JSON.</summary>
    public static string Serialize(T message) => JsonSerializer.Serialize(message, Json);

    public static T Deserialize(string body)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(body, Json) ?? throw new QueueMessageFormatException($"an empty {typeof(T).Name} message");
        }
        catch (JsonException e)
        {
            throw new QueueMessageFormatException($"not a {typeof(T).Name} message: {e.Message}", e);
        }
    }

    /// <summary>Sends a message, visible after <paramref name="delay"/> (a retry's backoff).</summary>
    public async Task SendAsync(T message, TimeSpan? delay = null, CancellationToken cancellationToken = default)
    {
        await Client.SendMessageAsync(Serialize(message), delay, timeToLive: null, cancellationToken);
    }

    private long _receives;
    private long _emptyReceives;

    /// <summary>Receives this process made of the queue (each a billed transaction), and of them those that found it empty: what polling costs.</summary>
    public (long Receives, long Empty) ReceiveCounts => (Interlocked.Read(ref _receives), Interlocked.Read(ref _emptyReceives));

    /// <summary>Receives up to <paramref name="maxMessages"/> (1-32), hidden from others for <paramref name="visibilityTimeout"/>.</summary>
    public async Task<IReadOnlyList<ReceivedMessage<T>>> ReceiveAsync(int maxMessages, TimeSpan visibilityTimeout, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _receives);
        var messages = await Client.ReceiveMessagesAsync(maxMessages, visibilityTimeout, cancellationToken);
        if (messages.Value.Length == 0)
        {
            Interlocked.Increment(ref _emptyReceives);
        }

        return [.. messages.Value.Select(m => new ReceivedMessage<T>(Deserialize(m.Body.ToString()), m.MessageId, m.PopReceipt, m.DequeueCount))];
    }

    /// <summary>Puts <paramref name="message"/> on the poison queue, where the Functions host moves a message after its last failed attempt.</summary>
    public async Task SendToPoisonAsync(T message, CancellationToken cancellationToken = default)
    {
        await PoisonClient.SendMessageAsync(Serialize(message), cancellationToken: cancellationToken);
    }

    public async Task DeleteAsync(ReceivedMessage<T> message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        await Client.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
    }

    /// <summary>Looks at up to <paramref name="maxMessages"/> (1-32) poison messages without taking them.</summary>
    public async Task<IReadOnlyList<PeekedMessage>> PeekPoisonAsync(int maxMessages = 32, CancellationToken cancellationToken = default)
    {
        var messages = await PoisonClient.PeekMessagesAsync(maxMessages, cancellationToken);
        return messages.Value;
    }

    /// <summary>Approximate counts of both queues (the service's estimate; a missing queue is storage not initialized yet, <see cref="Availability.StorageUnavailableException"/>).</summary>
    public async Task<QueueDepth> GetDepthAsync(CancellationToken cancellationToken = default) =>
        new(Name, await CountAsync(Client, cancellationToken), await CountAsync(PoisonClient, cancellationToken));

    private static async Task<int> CountAsync(QueueClient queue, CancellationToken cancellationToken)
    {
        var properties = await queue.GetPropertiesAsync(cancellationToken);
        return properties.Value.ApproximateMessagesCount;
    }
}
