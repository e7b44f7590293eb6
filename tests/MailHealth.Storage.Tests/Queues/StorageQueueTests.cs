using System.Text;
using Azure.Storage.Queues;
using MailHealth.Storage.Availability;
using MailHealth.Storage.Queues;
using MailHealth.Storage.Tests.Infrastructure;
using MailHealth.Testing;

namespace MailHealth.Storage.Tests.Queues;

public sealed class StorageQueueTests(AzuriteAccount azurite) : IClassFixture<AzuriteAccount>
{
    [Fact]
    public async Task SendAsync_ProbeRequest_IsBase64JsonThatABase64ClientReads()
    {
        var queue = new ProbeQueue(azurite.Account);
        var request = new ProbeRequest("example-com", TestReports.Epoch.AddMinutes(5));

        await queue.SendAsync(request);

        // What the Functions queue trigger does: a client decoding Base64 sees the JSON.
        var base64Client = new QueueClient(Peers.AzuriteConnectionString, queue.Name, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        var message = Assert.Single((await base64Client.ReceiveMessagesAsync(32)).Value);
        Assert.Equal("""{"targetId":"example-com","slot":"2026-11-01T00:05:00+00:00"}""", message.Body.ToString());
        Assert.Equal(request, StorageQueue<ProbeRequest>.Deserialize(message.Body.ToString()));

        // On the wire (a client without decoding) it is Base64 text, not JSON.
        await queue.SendAsync(request);
        var rawClient = new QueueClient(Peers.AzuriteConnectionString, queue.Name);
        var raw = Assert.Single((await rawClient.ReceiveMessagesAsync(32)).Value);
        Assert.Equal(Convert.ToBase64String(Encoding.UTF8.GetBytes(StorageQueue<ProbeRequest>.Serialize(request))), raw.Body.ToString());
    }

    [Fact]
    public async Task ReceiveThenDelete_NotificationDelivery_RoundTrips()
    {
        var queue = new NotificationQueue(azurite.Account);
        var delivery = new NotificationDelivery("example-com.SPF.0011|opened|ops", "ops-webhook");
        await queue.SendAsync(delivery);

        var received = Assert.Single(await queue.ReceiveAsync(32, TimeSpan.FromSeconds(30)));
        await queue.DeleteAsync(received);

        Assert.Equal(delivery, received.Message);
        Assert.Equal(1, received.DequeueCount);
        Assert.Empty(await queue.ReceiveAsync(32, TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task GetDepthAsync_CountsTheQueueAndItsPoisonQueue()
    {
        var queue = new TestQueue(azurite, "depth");
        await queue.Client.CreateIfNotExistsAsync();
        await queue.PoisonClient.CreateIfNotExistsAsync();
        await queue.SendAsync(new ProbeRequest("a", TestReports.Epoch));
        await queue.SendAsync(new ProbeRequest("b", TestReports.Epoch));
        await queue.PoisonClient.SendMessageAsync(StorageQueue<ProbeRequest>.Serialize(new ProbeRequest("c", TestReports.Epoch)));

        var depth = await queue.GetDepthAsync();
        var poison = await queue.PeekPoisonAsync();

        Assert.Equal((2, 1), (depth.Messages, depth.PoisonMessages));
        Assert.Equal("c", StorageQueue<ProbeRequest>.Deserialize(Assert.Single(poison).Body.ToString()).TargetId);
        Assert.EndsWith("-poison", queue.PoisonClient.Name, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetDepthAsync_MissingQueues_StorageNotInitialized()
    {
        // Not a depth of zero: a queue that does not exist is a monitor whose start-up has not created it.
        var error = await Assert.ThrowsAsync<StorageUnavailableException>(() => new TestQueue(azurite, "missing").GetDepthAsync());

        Assert.Equal("QueueNotFound", error.ErrorCode);
        Assert.Equal(404, error.Status);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("null")]
    public void Deserialize_Garbage_ThrowsQueueMessageFormat(string body)
    {
        Assert.Throws<QueueMessageFormatException>(() => StorageQueue<ProbeRequest>.Deserialize(body));
    }

    private sealed class TestQueue(AzuriteAccount azurite, string suffix)
        : StorageQueue<ProbeRequest>(azurite.Account, azurite.Options.ProbeQueueName + "-" + suffix);
}
