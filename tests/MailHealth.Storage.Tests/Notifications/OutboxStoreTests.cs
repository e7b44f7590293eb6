using MailHealth.Checks;
using MailHealth.Notifications;
using MailHealth.Storage.Notifications;
using MailHealth.Storage.Tables;
using MailHealth.Storage.Tests.Infrastructure;

namespace MailHealth.Storage.Tests.Notifications;

public sealed class OutboxStoreTests(AzuriteAccount azurite) : IClassFixture<AzuriteAccount>
{
    private static readonly DateTimeOffset Now = TestReports.Epoch;
    private readonly OutboxStore store = new(azurite.Account);

    [Fact]
    public async Task AddAsync_Twice_KeepsTheFirstEntry()
    {
        var notification = Notification("n-a");
        var (first, added) = await store.AddAsync(notification, Now);
        var (second, addedAgain) = await store.AddAsync(notification with { Title = "changed" }, Now.AddMinutes(1));

        Assert.True(added);
        Assert.False(addedAgain);
        Assert.Equal(first.ETag, second.ETag);
        Assert.Equal(Reports.ReportJson.Serialize(notification), Reports.ReportJson.Serialize(second.Notification));
        Assert.Equal(OutboxState.Pending, second.State);
        Assert.Equal(Now, second.NextAttemptAt);
    }

    [Fact]
    public async Task FailedAttemptsThenDelivery_AreRecorded()
    {
        var (entry, _) = await store.AddAsync(Notification("n-b"), Now);

        entry = await store.MarkFailedAttemptAsync(entry, "500 from https://hooks.slack.com/services/T000/B000/SECRETTOKEN", Now.AddMinutes(1));
        entry = await store.MarkDeliveredAsync(entry, Now.AddMinutes(2));

        var stored = await store.GetAsync("n-b");
        Assert.Equal(OutboxState.Delivered, stored!.State);
        Assert.Equal(2, stored.Attempts);
        Assert.Equal(Now.AddMinutes(2), stored.DeliveredAt);
        Assert.Null(stored.NextAttemptAt);
        Assert.Equal("500 from https://hooks.slack.com/…", stored.LastError);
        Assert.Equal(entry.ETag, stored.ETag);
    }

    [Fact]
    public async Task LastAttemptFails_EntryIsFailedAndListed()
    {
        var (entry, _) = await store.AddAsync(Notification("n-c"), Now);

        await store.MarkFailedAttemptAsync(entry, "connection refused", nextAttemptAt: null);

        var failed = await store.ListAsync(OutboxState.Failed);
        var stored = Assert.Single(failed.Items, e => e.Notification.Id == "n-c");
        Assert.Equal("connection refused", stored.LastError);
        Assert.Equal(1, stored.Attempts);
    }

    [Fact]
    public async Task UpdateAsync_StaleETag_ThrowsConcurrency()
    {
        var (entry, _) = await store.AddAsync(Notification("n-d"), Now);
        await store.MarkDeliveredAsync(entry, Now);

        await Assert.ThrowsAsync<StorageConcurrencyException>(() => store.MarkDeliveredAsync(entry, Now));
    }

    [Fact]
    public async Task ListDueAsync_ReturnsPendingEntriesThatAreDue()
    {
        var (due, _) = await store.AddAsync(Notification("n-e1"), Now);
        var (later, _) = await store.AddAsync(Notification("n-e2"), Now);
        await store.MarkFailedAttemptAsync(later, "timeout", Now.AddHours(1));

        var list = await store.ListDueAsync(Now.AddMinutes(1));

        Assert.Contains(list, e => e.Notification.Id == due.Notification.Id);
        Assert.DoesNotContain(list, e => e.Notification.Id == "n-e2");
    }

    [Fact]
    public async Task PurgeAsync_RemovesFinishedEntriesOnly()
    {
        var (done, _) = await store.AddAsync(Notification("n-f1"), Now.AddDays(-40));
        await store.MarkDeliveredAsync(done, Now.AddDays(-40));
        await store.AddAsync(Notification("n-f2"), Now.AddDays(-40));

        await store.PurgeAsync(Now.AddDays(-30));

        Assert.Null(await store.GetAsync("n-f1"));
        Assert.NotNull(await store.GetAsync("n-f2"));
    }

    [Theory]
    [InlineData("POST https://user:pw@example.com:8443/hook?key=abc failed", "POST https://example.com/… failed")]
    [InlineData("no url here", "no url here")]
    public void RedactError_RemovesUrlPathsAndCredentials(string error, string expected)
    {
        Assert.Equal(expected, OutboxStore.RedactError(error));
    }

    private static Notification Notification(string id) => new()
    {
        Id = id,
        Channel = "ops-webhook",
        Kind = NotificationKind.AlertOpened,
        TargetId = "example-com",
        Domain = "example.com",
        Tags = ["prod"],
        Title = "[CRITICAL] example.com: SPF_TOO_MANY_LOOKUPS on example.com",
        Text = "SPF needs 11 DNS lookups",
        Severity = Severity.Critical,
        Code = "SPF_TOO_MANY_LOOKUPS",
        Subject = "example.com",
        AlertId = "example-com.SPF_TOO_MANY_LOOKUPS.0011223344556677",
        RunId = "example-com/20261101T000000Z",
        At = Now,
    };
}
