using MailHealth.Alerts;
using MailHealth.Checks;
using MailHealth.Runs;
using MailHealth.Storage.Alerts;
using MailHealth.Storage.Paging;
using MailHealth.Storage.Tables;
using MailHealth.Storage.Tests.Infrastructure;

namespace MailHealth.Storage.Tests.Alerts;

public sealed class AlertStoreTests(AzuriteAccount azurite) : IClassFixture<AzuriteAccount>
{
    private static readonly DateTimeOffset At = TestReports.Epoch;
    private readonly AlertStore store = new(azurite.Account);

    [Fact]
    public async Task SaveAsync_NewAlert_ThenRead_RoundTrips()
    {
        var alert = Alert("alerts-a", "SPF_TOO_MANY_LOOKUPS", AlertStatus.Open) with
        {
            OpenedAt = At,
            OpenedRunId = "alerts-a/20261101T000000Z",
            AcknowledgedBy = "ops",
            LastRunId = "alerts-a/20261101T000000Z",
        };

        await store.SaveAsync("alerts-a", [new AlertWrite(alert, null)], []);

        var stored = Assert.Single(await store.GetOfTargetAsync("alerts-a"));
        Assert.Equal(alert, stored.Alert);
        Assert.False(string.IsNullOrEmpty(stored.ETag));
        Assert.Equal(alert, (await store.GetAsync("alerts-a", alert.Id))!.Alert);
        Assert.Equal(alert, (await store.FindAsync(alert.Id))!.Alert);
    }

    [Fact]
    public async Task SaveAsync_StaleETag_ThrowsConcurrencyAndWritesNothing()
    {
        var alert = Alert("alerts-b", "TLS_CERT_EXPIRING", AlertStatus.Pending);
        await store.SaveAsync("alerts-b", [new AlertWrite(alert, null)], []);
        var read = Assert.Single(await store.GetOfTargetAsync("alerts-b"));

        // Worker one wins with the ETag it read; worker two then writes from the same, now stale, read.
        await store.SaveAsync("alerts-b", [new AlertWrite(alert with { ConsecutiveSeen = 2, Status = AlertStatus.Open }, read)], []);
        var transition = new AlertTransition(alert.Id, alert.Key, AlertTransitionKind.Opened, At.AddMinutes(5), "r2", Severity.Warning, "m");
        await Assert.ThrowsAsync<StorageConcurrencyException>(
            () => store.SaveAsync("alerts-b", [new AlertWrite(alert with { ConsecutiveSeen = 9 }, read)], [transition]));

        var now = Assert.Single(await store.GetOfTargetAsync("alerts-b"));
        Assert.Equal(2, now.Alert.ConsecutiveSeen);
        Assert.Empty((await store.ListTransitionsAsync("alerts-b")).Items);
    }

    [Fact]
    public async Task SaveAsync_RunOfMoreThanOneTransaction_CutBetweenThem_LeavesNoAlertWithoutItsTransition()
    {
        // One pending alert that advanced (no transition), then 60 that opened: 61 states, 60
        // transitions and the marker. Split by operation count alone, the 100th operation would be
        // an opened alert's state without its transition.
        const string target = "alerts-cut";
        var run = new RunId(target, At);
        var pending = Alert(target, "ADVANCED", AlertStatus.Pending) with { ConsecutiveSeen = 2, LastRunId = run.ToString() };
        var opened = Enumerable.Range(0, 60).Select(i => Alert(target, $"OPENED_{i:00}", AlertStatus.Open) with { LastRunId = run.ToString() }).ToList();
        var transitions = opened.Select(a => new AlertTransition(a.Id, a.Key, AlertTransitionKind.Opened, At, run.ToString(), Severity.Warning, "opened")).ToList();
        // The 56th opened alert was changed by someone else after it was read: the transaction holding it fails.
        await store.SaveAsync(target, [new AlertWrite(opened[55] with { LastRunId = null }, null)], []);
        var read = await store.GetStateAsync(target);
        var lateRead = Assert.Single(read.Alerts);
        await store.SaveAsync(target, [new AlertWrite(lateRead.Alert with { ConsecutiveSeen = 5 }, lateRead)], []);
        var writes = new[] { pending }.Concat(opened).Select(a => new AlertWrite(a, a.Id == lateRead.Alert.Id ? lateRead : null)).ToList();

        await Assert.ThrowsAsync<StorageConcurrencyException>(() => store.SaveAsync(run, read, writes, [], transitions));

        var landed = (await store.GetOfTargetAsync(target)).Select(a => a.Alert).Where(a => a.LastRunId == run.ToString()).ToList();
        var stamped = (await store.GetTransitionsOfRunAsync(run)).Select(t => t.AlertId).Order(StringComparer.Ordinal).ToList();
        // The first transaction landed: the advanced alert and 49 opened ones, each with its transition.
        Assert.Contains(landed, a => a.Id == pending.Id);
        Assert.Equal(landed.Where(a => a.Status == AlertStatus.Open).Select(a => a.Id).Order(StringComparer.Ordinal), stamped);
        Assert.Equal(49, stamped.Count);
        Assert.Null((await store.GetStateAsync(target)).EvaluatedSlot);
    }

    [Fact]
    public async Task GetStateAsync_ReadsTheStatesAndTheMarkerTogether_NotTheTransitions()
    {
        const string target = "alerts-state";
        var first = new RunId(target, At);
        var alert = Alert(target, "SPF_MISSING", AlertStatus.Open) with { LastRunId = first.ToString() };
        var opened = new AlertTransition(alert.Id, alert.Key, AlertTransitionKind.Opened, At, first.ToString(), Severity.Warning, "opened");
        await store.SaveAsync(first, await store.GetStateAsync(target), [new AlertWrite(alert, null)], [], [opened]);

        var state = await store.GetStateAsync(target);

        // The marker's slot and ETag, the one state with its ETag, and no transition taken for a state.
        Assert.Equal(At, state.EvaluatedSlot);
        Assert.False(string.IsNullOrEmpty(state.MarkerETag));
        Assert.Equal(alert, Assert.Single(state.Alerts).Alert);
        Assert.Single((await store.ListTransitionsAsync(target)).Items);

        // The ETags read are the ones a save goes by: the next run's save over this read succeeds, one over the first read does not.
        var second = new RunId(target, At.AddMinutes(5));
        var stale = await store.GetStateAsync("alerts-state-none");
        await store.SaveAsync(second, state, [new AlertWrite(alert with { ConsecutiveSeen = 2, LastRunId = second.ToString() }, state.Alerts[0])], [], []);
        Assert.Equal(second.Slot, (await store.GetStateAsync(target)).EvaluatedSlot);
        await Assert.ThrowsAsync<StorageConcurrencyException>(() => store.SaveAsync(new RunId(target, At.AddMinutes(10)), state, [], [], []));
        Assert.Null(stale.EvaluatedSlot);
        Assert.Empty(stale.Alerts);
    }

    [Fact]
    public async Task SaveAsync_TwoWorkersCreateTheSameAlert_SecondGetsConcurrency()
    {
        var alert = Alert("alerts-c", "MX_MISSING", AlertStatus.Pending);
        await store.SaveAsync("alerts-c", [new AlertWrite(alert, null)], []);

        await Assert.ThrowsAsync<StorageConcurrencyException>(() => store.SaveAsync("alerts-c", [new AlertWrite(alert, null)], []));
    }

    [Fact]
    public async Task SaveAsync_Transitions_AreKeptAsHistoryAndARetryDoesNotDuplicate()
    {
        var alert = Alert("alerts-d", "DMARC_MISSING", AlertStatus.Open);
        var opened = new AlertTransition(alert.Id, alert.Key, AlertTransitionKind.Opened, At, "alerts-d/1", Severity.Warning, "no DMARC record");
        var resolved = new AlertTransition(alert.Id, alert.Key, AlertTransitionKind.Resolved, At.AddHours(1), "alerts-d/2", Severity.Warning, "clean twice");
        await store.SaveAsync("alerts-d", [new AlertWrite(alert, null)], [opened]);
        var read = Assert.Single(await store.GetOfTargetAsync("alerts-d"));
        await store.SaveAsync("alerts-d", [new AlertWrite(alert with { Status = AlertStatus.Resolved }, read)], [resolved, opened]);

        var history = await store.ListTransitionsAsync("alerts-d", alert.Id);

        Assert.Equal([resolved, opened], history.Items);
    }

    [Fact]
    public async Task ListByStatusAsync_OpenAcrossTargets_FollowsStatusChanges()
    {
        var one = Alert("alerts-e1", "SPF_MISSING", AlertStatus.Open);
        var two = Alert("alerts-e2", "SPF_MISSING", AlertStatus.Open);
        var three = Alert("alerts-e3", "SPF_MISSING", AlertStatus.Pending);
        await store.SaveAsync("alerts-e1", [new AlertWrite(one, null)], []);
        await store.SaveAsync("alerts-e2", [new AlertWrite(two, null)], []);
        await store.SaveAsync("alerts-e3", [new AlertWrite(three, null)], []);
        var read = Assert.Single(await store.GetOfTargetAsync("alerts-e2"));
        await store.SaveAsync("alerts-e2", [new AlertWrite(two with { Status = AlertStatus.Resolved }, read)], []);

        var open = await AllAsync(AlertStatus.Open);
        var resolved = await AllAsync(AlertStatus.Resolved);

        Assert.Contains(open, a => a.Id == one.Id);
        Assert.DoesNotContain(open, a => a.Id == two.Id || a.Id == three.Id);
        Assert.Contains(resolved, a => a.Id == two.Id && a.Status == AlertStatus.Resolved);
        Assert.Equal(AlertStatus.Resolved, (await store.FindAsync(two.Id))!.Alert.Status);
    }

    [Fact]
    public async Task ListOfTargetAsync_FiltersByStatusAndPages()
    {
        var writes = Enumerable.Range(0, 7)
            .Select(i => new AlertWrite(Alert("alerts-f", $"CODE_{i}", i % 2 == 0 ? AlertStatus.Open : AlertStatus.Pending), null))
            .ToList();
        await store.SaveAsync("alerts-f", writes, []);

        var first = await store.ListOfTargetAsync("alerts-f", pageSize: 4);
        var second = await store.ListOfTargetAsync("alerts-f", pageSize: 4, continuationToken: first.ContinuationToken);
        var open = await store.ListOfTargetAsync("alerts-f", AlertStatus.Open);

        Assert.Equal(4, first.Items.Count);
        Assert.Equal(3, second.Items.Count);
        Assert.Null(second.ContinuationToken);
        Assert.Equal(7, first.Items.Concat(second.Items).Select(a => a.Id).Distinct().Count());
        Assert.Equal(4, open.Items.Count);
        await Assert.ThrowsAsync<InvalidContinuationTokenException>(() => store.ListOfTargetAsync("alerts-f", continuationToken: "bm9wZQ"));
    }

    [Fact]
    public async Task SaveAsync_AlertOfAnotherTarget_IsRefused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => store.SaveAsync("alerts-g", [new AlertWrite(Alert("other", "X", AlertStatus.Open), null)], []));
    }

    [Fact]
    public async Task GetOfTargetAsync_HostileTargetId_ReadsOnlyItsOwnPartition()
    {
        await store.SaveAsync("alerts-h", [new AlertWrite(Alert("alerts-h", "X", AlertStatus.Open), null)], []);

        Assert.Empty(await store.GetOfTargetAsync("alerts-h' or PartitionKey ne '"));
        Assert.DoesNotContain((await store.ListOfTargetAsync("alerts-h", AlertStatus.Open, 10, null)).Items, a => a.Key.TargetId != "alerts-h");
    }

    private static Alert Alert(string target, string code, AlertStatus status) => new()
    {
        Key = new AlertKey(target, code, "example.com"),
        CheckId = "spf",
        Severity = Severity.Warning,
        Message = $"{code} on example.com",
        Status = status,
        ConsecutiveSeen = 1,
        FirstSeenAt = At,
        LastSeenAt = At,
    };

    private async Task<List<Alert>> AllAsync(AlertStatus status)
    {
        var all = new List<Alert>();
        string? continuation = null;
        do
        {
            var page = await store.ListByStatusAsync(status, 100, continuation);
            all.AddRange(page.Items);
            continuation = page.ContinuationToken;
        }
        while (continuation is not null);
        return all;
    }
}
