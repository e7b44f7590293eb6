using MailHealth.Egress;
using MailHealth.Storage.Availability;
using MailHealth.Storage.Heartbeats;
using MailHealth.Storage.Queues;
using Microsoft.AspNetCore.Http;

namespace MailHealth.Monitor.Api;

public sealed partial class MailHealthApi
{
    /// <summary>Outages and lost slots the detailed health lists at most, newest first.</summary>
    private const int OutagesShown = 20;

    /// <summary>
    /// How long the detailed health is kept in the read cache: the dashboard asks for it with every
    /// refresh, and each answer is six storage calls. Short, since other processes' ticks and the
    /// queues' depths are seen only when it goes; this process's tick, probe requests and recorded
    /// outages drop it at once (<see cref="Caching.WriteClock.WroteMonitorState"/>).
    /// </summary>
    private static readonly TimeSpan HealthDetailKeptFor = TimeSpan.FromSeconds(15);

    /// <summary>Slots lost this recently make the detailed health degraded; older ones are only listed.</summary>
    private static readonly TimeSpan RecentLoss = TimeSpan.FromDays(1);

    /// <summary>
    /// <c>GET /api/health</c> (anonymous): liveness, cheap enough for anyone to poll. It answers
    /// from this process's memory alone, never from storage: 200 with <c>status</c> ok, or degraded
    /// when this process sees storage out, its tables not created yet, or schedule slots lost and
    /// not recorded yet. Nothing in it names a queue, a target or a secret.
    /// </summary>
    public Task<IResult> GetHealthAsync(HttpRequest request, CancellationToken cancellationToken) =>
        AnswerAsync(ApiRoutes.GetHealth, _ => Task.FromResult(Liveness(request)), cancellationToken);

    /// <summary>
    /// <c>GET /api/health/detail</c> (read key): whether the monitor itself works: when the schedule
    /// last ran, the queues' backlog and poison messages, the port-25 egress verdict, and storage's
    /// outages with the schedule slots they cost. 200 with <c>status</c> ok or degraded (each
    /// problem named); while storage is out, the 503 says since when and the slots lost so far.
    /// Kept a few seconds in the read cache (<see cref="HealthDetailKeptFor"/>) while this process
    /// sees nothing wrong with storage itself; <c>checkedAt</c> says when storage was asked.
    /// </summary>
    public Task<IResult> GetHealthDetailAsync(HttpRequest request, CancellationToken cancellationToken) =>
        AnswerAsync(
            ApiRoutes.GetHealthDetail,
            ct => GetHealthDetailCoreAsync(request, ct),
            cancellationToken,
            e => ApiProblem.StorageUnavailable(e.Message, availability.Current?.Since, new Dictionary<string, object?> { ["lostSlots"] = outages.PendingSlots }));

    private IResult Liveness(HttpRequest request)
    {
        var query = ApiQuery.Of(request);
        if (query.Problem is { } problem)
        {
            return problem;
        }

        var problems = StorageProblems();
        return ApiJson.Ok(new MonitorLiveness(problems.Count == 0 ? "ok" : "degraded", time.GetUtcNow(), problems));
    }

    /// <summary>What this process knows against storage without asking it.</summary>
    private List<string> StorageProblems()
    {
        var problems = new List<string>();
        if (availability.Current is { } outage)
        {
            problems.Add($"storage has been unavailable since {outage.Since:u}");
        }

        if (startup.Problem is not null)
        {
            problems.Add("storage's tables and queues are not created yet");
        }

        if (outages.PendingSlots.Count is > 0 and var lost)
        {
            problems.Add($"{lost} schedule slot(s) lost to a storage outage, not recorded yet");
        }

        return problems;
    }

    private async Task<IResult> GetHealthDetailCoreAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var query = ApiQuery.Of(request);
        if (query.Problem is { } problem)
        {
            return problem;
        }

        // While this process sees storage out or has outages to record, every answer asks storage.
        if (availability.Current is not null || availability.Ended.Count > 0 || startup.Problem is not null || outages.PendingSlots.Count > 0)
        {
            var body = await ReadHealthDetailAsync(cancellationToken).ConfigureAwait(false);
            return ReadAnswer.Of(request, body, ReadFreshness.Revalidate);
        }

        return await ReadAsync(
            request,
            ReadKey(ApiRoutes.GetHealthDetail),
            ReadFreshness.Revalidate,
            async ct => ReadOutcome.Found(await ReadHealthDetailAsync(ct).ConfigureAwait(false), Caching.ReadScope.Monitor, HealthDetailKeptFor),
            cancellationToken).ConfigureAwait(false);
    }

    private async Task<CachedBody> ReadHealthDetailAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var interval = monitor.Value.Interval;
        // Side by side: the dashboard asks for this with every refresh, and each is a storage call.
        var scheduleRead = heartbeats.GetScheduleAsync(cancellationToken);
        var probeDepthRead = probes.GetDepthAsync(cancellationToken);
        var notificationDepthRead = notifications.GetDepthAsync(cancellationToken);
        var reportDepthRead = reportQueue.GetDepthAsync(cancellationToken);
        var verdictRead = egress.ReadVerdictAsync(monitor.Value.EgressMinimumTargets, cancellationToken);
        var outagesRead = outages.ReadAsync(OutagesShown, cancellationToken);
        await Task.WhenAll(scheduleRead, probeDepthRead, notificationDepthRead, reportDepthRead, verdictRead, outagesRead).ConfigureAwait(false);
        var schedule = await scheduleRead.ConfigureAwait(false);
        var probeDepth = await probeDepthRead.ConfigureAwait(false);
        var notificationDepth = await notificationDepthRead.ConfigureAwait(false);
        var reportDepth = await reportDepthRead.ConfigureAwait(false);
        var verdict = await verdictRead.ConfigureAwait(false);
        var (storageOutages, lostSlots) = await outagesRead.ConfigureAwait(false);

        var problems = new List<string>();
        if (schedule is null)
        {
            problems.Add("the schedule has not run yet");
        }
        else if (now - schedule.At > 2 * interval)
        {
            problems.Add($"the schedule last ran at {schedule.At:u}, more than two intervals ago");
        }

        foreach (var depth in new[] { probeDepth, notificationDepth, reportDepth }.Where(d => d.PoisonMessages > 0))
        {
            problems.Add($"{depth.PoisonMessages} message(s) in {depth.QueueName}-poison");
        }

        if (verdict == EgressVerdict.Blocked)
        {
            problems.Add("outbound port 25 looks blocked: port-25 results are not the targets' fault");
        }

        if (startup.Problem is { } initialization)
        {
            problems.Add($"storage's tables and queues are not created yet: {initialization}");
        }

        if (lostSlots.Count(s => s.Slot > now - RecentLoss) is > 0 and var recent)
        {
            problems.Add($"{recent} schedule slot(s) lost to storage outages in the last 24 hours (see storage.lostSlots)");
        }

        return CachedBody.Of(new MonitorHealth(
            problems.Count == 0 ? "ok" : "degraded",
            now,
            problems,
            schedule is null ? null : new ScheduleHealth(schedule.At, schedule.Slot, schedule.Queued, (int)interval.TotalSeconds),
            new QueueHealth(Queue(probeDepth), Queue(notificationDepth), Queue(reportDepth)),
            new EgressHealth(verdict),
            new StorageHealth(storageOutages, lostSlots)));
    }

    /// <summary><c>GET /api/openapi.json</c> (anonymous): the document describing every route and schema.</summary>
    public Task<IResult> GetOpenApiAsync(HttpRequest request, CancellationToken cancellationToken) =>
        AnswerAsync(ApiRoutes.GetOpenApi, _ => Task.FromResult(ApiQuery.Of(request).Problem ?? openApi.Result()), cancellationToken);

    private static QueueBacklog Queue(QueueDepth depth) => new(depth.QueueName, depth.Messages, depth.PoisonMessages);
}

/// <summary>What <c>/health</c> answers: this process's own view, without asking storage.</summary>
public sealed record MonitorLiveness(string Status, DateTimeOffset CheckedAt, IReadOnlyList<string> Problems);

/// <summary>What <c>/health/detail</c> answers.</summary>
public sealed record MonitorHealth(
    string Status, DateTimeOffset CheckedAt, IReadOnlyList<string> Problems, ScheduleHealth? Schedule, QueueHealth Queues, EgressHealth Egress, StorageHealth Storage);

/// <summary>The schedule's last tick and the interval it should tick at.</summary>
public sealed record ScheduleHealth(DateTimeOffset LastRunAt, DateTimeOffset Slot, int Queued, int IntervalSeconds);

public sealed record QueueHealth(QueueBacklog Probes, QueueBacklog Notifications, QueueBacklog Reports);

/// <summary>Messages waiting (approximate, as the queue service counts them) and messages that failed for good.</summary>
public sealed record QueueBacklog(string Name, int Depth, int Poison);

/// <summary>Whether this monitor's own outbound port 25 works, judged from the fleet's recent probes (docs/egress.md).</summary>
public sealed record EgressHealth(EgressVerdict Port25);

/// <summary>The newest storage outages the monitor's processes saw, and the schedule slots whose tick they failed, newest first.</summary>
public sealed record StorageHealth(IReadOnlyList<StorageOutage> Outages, IReadOnlyList<LostSlot> LostSlots);
