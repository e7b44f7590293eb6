using MailHealth.Storage.Availability;
using MailHealth.Storage.Configuration;
using MailHealth.Storage.Targets;
using MailHealth.Testing;
using MailHealth.Testing.Http;

namespace MailHealth.Storage.Tests.Availability;

/// <summary>
/// What the storage clients make of a store that fails: a service that answers 503, one that
/// never answers, an address where nothing listens. Each ends in <see cref="StorageUnavailableException"/>
/// after the clients' own retries (set, not the SDK's 4 tries of 100 s), and is an outage in
/// <see cref="StorageAvailability"/>; answers the stores expect (404) are not.
/// </summary>
public sealed class StorageFailureTests
{
    // A hang guard for the calls below: they give up on their own well before it.
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    private static (TargetStore Store, StorageAvailability Availability) StoreAt(Uri endpoint, int maxRetries, TimeSpan? networkTimeout = null)
    {
        var availability = new StorageAvailability(TimeProvider.System);
        var account = new StorageAccount(
            new StorageOptions
            {
                ConnectionString = ConnectionStringAt(endpoint),
                MaxRetries = maxRetries,
                NetworkTimeout = networkTimeout ?? TimeSpan.FromSeconds(5),
            },
            availability);
        return (new TargetStore(account), availability);
    }

    // The emulator's public development account, at a server of the test's choosing.
    private static string ConnectionStringAt(Uri endpoint) =>
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
        "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
        $"TableEndpoint={endpoint}devstoreaccount1;QueueEndpoint={endpoint}devstoreaccount1;";

    [Fact]
    public async Task Get_ServiceAnswers503_UnavailableWithItsStatusAndCode_AfterTheRetries()
    {
        await using var service = new HttpReceiver(Peers.Address(72, 1)) { Default = ScriptedReply.Answer(503, ("x-ms-error-code", "ServerBusy")) };
        var (store, availability) = StoreAt(service.Url("/"), maxRetries: 2);

        var error = await Assert.ThrowsAsync<StorageUnavailableException>(() => store.GetAsync("shop").WaitAsync(Guard));

        Assert.Equal(503, error.Status);
        Assert.Equal("ServerBusy", error.ErrorCode);
        Assert.Equal("storage answered 503 ServerBusy", error.Message);
        Assert.Equal(3, service.Requests.Count);
        Assert.Equal("storage answered 503 ServerBusy", availability.Current?.Reason);
    }

    [Fact]
    public async Task Get_ServiceNeverAnswers_UnavailableAfterTheNetworkTimeoutOfEachTry()
    {
        await using var service = new HttpReceiver(Peers.Address(72, 2)) { Default = ScriptedReply.Never };
        var (store, availability) = StoreAt(service.Url("/"), maxRetries: 1, networkTimeout: TimeSpan.FromSeconds(1));

        var error = await Assert.ThrowsAsync<StorageUnavailableException>(() => store.GetAsync("shop").WaitAsync(Guard));

        Assert.Null(error.Status);
        Assert.Equal("storage did not answer within the network timeout (2 tries)", error.Message);
        Assert.Equal(2, service.Requests.Count);
        Assert.NotNull(availability.Current);
    }

    [Fact]
    public async Task Get_NothingListens_CouldNotBeReached()
    {
        // A loopback address of the peers' range that no peer uses: the connection is refused.
        var (store, _) = StoreAt(new Uri($"http://{Peers.Address(72, 3)}:9/"), maxRetries: 0);

        var error = await Assert.ThrowsAsync<StorageUnavailableException>(() => store.GetAsync("shop").WaitAsync(Guard));

        Assert.Equal("storage could not be reached", error.Message);
        Assert.NotNull(error.InnerException);
    }

    [Fact]
    public async Task Get_AnswerAfterAnOutage_EndsIt_And404IsAnAnswer()
    {
        await using var service = new HttpReceiver(Peers.Address(72, 4));
        service.Script(ScriptedReply.Answer(500));
        service.Default = ScriptedReply.Answer(404, ("x-ms-error-code", "ResourceNotFound"));
        var (store, availability) = StoreAt(service.Url("/"), maxRetries: 0);

        await Assert.ThrowsAsync<StorageUnavailableException>(() => store.GetAsync("shop").WaitAsync(Guard));
        var since = availability.Current?.Since;
        var missing = await store.GetAsync("shop").WaitAsync(Guard);

        Assert.Null(missing);
        Assert.Null(availability.Current);
        var outage = Assert.Single(availability.Ended);
        Assert.Equal(since, outage.Since);
        Assert.NotNull(outage.Until);
        Assert.Equal(1, outage.Failures);
    }

    [Fact]
    public async Task Get_TablesNotCreated_UnavailableNotAbsent()
    {
        // Tables under a prefix nobody created: the monitor's start-up has not run (yet).
        var availability = new StorageAvailability(TimeProvider.System);
        var account = new StorageAccount(new StorageOptions { ConnectionString = Peers.AzuriteConnectionString, TablePrefix = PeerStorage.UniquePrefix('u') }, availability);

        var read = await Assert.ThrowsAsync<StorageUnavailableException>(() => new TargetStore(account).GetAsync("shop").WaitAsync(Guard));
        var list = await Assert.ThrowsAsync<StorageUnavailableException>(() => new TargetStore(account).ListAsync().WaitAsync(Guard));

        Assert.Equal("storage has no such table, queue or container (TableNotFound): they are not created yet", read.Message);
        Assert.Equal((404, "TableNotFound"), (list.Status, list.ErrorCode));
        Assert.NotNull(availability.Current);
    }

    [Fact]
    public async Task Deadline_FrozenStore_UnavailableAtTheDeadline_AndTheStoreAnswersOnceThawed()
    {
        await using var azurite = await AzuriteProcess.StartAsync(Peers.Address(0, 110));
        var availability = new StorageAvailability(TimeProvider.System);
        var account = new StorageAccount(new StorageOptions { ConnectionString = azurite.ConnectionString }, availability);
        await new StorageInitializer(account).InitializeAsync();
        var store = new TargetStore(account);
        var deadline = new StorageDeadline(availability, TimeProvider.System);

        await using var frozen = await azurite.FreezeAsync();
        var error = await Assert.ThrowsAsync<StorageUnavailableException>(
            () => deadline.RunAsync(TimeSpan.FromSeconds(1), ct => store.GetAsync("shop", ct), CancellationToken.None).WaitAsync(Guard));
        Assert.Equal("storage did not answer within 1 s", error.Message);
        Assert.Equal("storage did not answer within 1 s", availability.Current?.Reason);

        await azurite.ThawAsync();
        Assert.Null(await deadline.RunAsync(Guard, ct => store.GetAsync("shop", ct), CancellationToken.None));
        Assert.Null(availability.Current);
        Assert.Single(availability.Ended);
    }

    [Fact]
    public async Task Deadline_TheCallerCancels_ACancellationNotAnOutage()
    {
        await using var service = new HttpReceiver(Peers.Address(72, 5)) { Default = ScriptedReply.Never };
        var (store, availability) = StoreAt(service.Url("/"), maxRetries: 3);
        var deadline = new StorageDeadline(availability, TimeProvider.System);
        using var caller = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => deadline.RunAsync(Guard, ct => store.GetAsync("shop", ct), caller.Token).WaitAsync(Guard));

        Assert.Null(availability.Current);
        Assert.Empty(availability.Ended);
    }
}
