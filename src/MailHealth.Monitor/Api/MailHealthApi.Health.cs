using MailHealth.Egress;
using MailHealth.Storage.Queues;
using Microsoft.AspNetCore.Http;

namespace MailHealth.Monitor.Api;

public sealed partial class MailHealthApi
{
    /// <summary>
    /// <c>GET /api/health</c> (anonymous): whether the monitor itself works: when the schedule
    /// last ran, the queues' backlog and poison messages, the port-25 egress verdict. 200 with
    /// <c>status</c> ok or degraded (each problem named); 503 when storage cannot be read.
    /// Nothing in it is a secret or names a target.
    /// </summary>
    public async Task<IResult> GetHealthAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var query = ApiQuery.Of(request);
        if (query.Problem is { } problem)
        {
            return problem;
        }

        var now = time.GetUtcNow();
        var interval = monitor.Value.Interval;
        try
        {
            var schedule = await heartbeats.GetScheduleAsync(cancellationToken).ConfigureAwait(false);
            var probeDepth = await probes.GetDepthAsync(cancellationToken).ConfigureAwait(false);
            var notificationDepth = await notifications.GetDepthAsync(cancellationToken).ConfigureAwait(false);
            var verdict = await egress.ReadVerdictAsync(monitor.Value.EgressMinimumTargets, cancellationToken).ConfigureAwait(false);

            var problems = new List<string>();
            if (schedule is null)
            {
                problems.Add("the schedule has not run yet");
            }
            else if (now - schedule.At > 2 * interval)
            {
                problems.Add($"the schedule last ran at {schedule.At:u}, more than two intervals ago");
            }

            foreach (var depth in new[] { probeDepth, notificationDepth }.Where(d => d.PoisonMessages > 0))
            {
                problems.Add($"{depth.PoisonMessages} message(s) in {depth.QueueName}-poison");
            }

            if (verdict == EgressVerdict.Blocked)
            {
                problems.Add("outbound port 25 looks blocked: port-25 results are not the targets' fault");
            }

            return ApiJson.Ok(new MonitorHealth(
                problems.Count == 0 ? "ok" : "degraded",
                now,
                problems,
                schedule is null ? null : new ScheduleHealth(schedule.At, schedule.Slot, schedule.Queued, (int)interval.TotalSeconds),
                new QueueHealth(Queue(probeDepth), Queue(notificationDepth)),
                new EgressHealth(verdict)));
        }
        catch (Storage.Availability.StorageUnavailableException e)
        {
            // The message names the service's status and error code, never the account key or a SAS.
            return ApiProblem.Unavailable(e.Message);
        }
    }

    /// <summary><c>GET /api/openapi.json</c> (anonymous): the document describing every route and schema.</summary>
    public Task<IResult> GetOpenApiAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var query = ApiQuery.Of(request);
        return Task.FromResult(query.Problem ?? openApi.Result());
    }

    private static QueueBacklog Queue(QueueDepth depth) => new(depth.QueueName, depth.Messages, depth.PoisonMessages);
}

/// <summary>What <c>/health</c> answers.</summary>
public sealed record MonitorHealth(string Status, DateTimeOffset CheckedAt, IReadOnlyList<string> Problems, ScheduleHealth? Schedule, QueueHealth Queues, EgressHealth Egress);

/// <summary>The schedule's last tick and the interval it should tick at.</summary>
public sealed record ScheduleHealth(DateTimeOffset LastRunAt, DateTimeOffset Slot, int Queued, int IntervalSeconds);

public sealed record QueueHealth(QueueBacklog Probes, QueueBacklog Notifications);

/// <summary>Messages waiting (approximate, as the queue service counts them) and messages that failed for good.</summary>
public sealed record QueueBacklog(string Name, int Depth, int Poison);

/// <summary>Whether this monitor's own outbound port 25 works, judged from the fleet's recent probes (docs/egress.md).</summary>
public sealed record EgressHealth(EgressVerdict Port25);
