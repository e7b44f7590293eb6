using MailHealth.Dns;
using MailHealth.Reports;
using MailHealth.Targets;

namespace MailHealth.Checks;

/// <summary>
/// Runs every check of one target once and gathers the report. Checks run concurrently; a check
/// that throws becomes an <c>error</c> result (a bug in a check must not hide the others).
/// </summary>
public sealed class DomainChecker(IReadOnlyList<ICheck> checks, CheckServices services, TimeProvider time)
{
    public async Task<Report> RunAsync(Target target, DnsResolver dns, CheckOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        var startedAt = time.GetUtcNow();
        using var deadline = new CancellationTokenSource(options.RunDeadline, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var context = new CheckContext(target, dns, options, time, services, linked.Token);

        var runs = checks.Select(check => RunOneAsync(check, context, linked.Token)).ToList();
        var results = (await Task.WhenAll(runs).ConfigureAwait(false)).SelectMany(r => r).ToList();
        cancellationToken.ThrowIfCancellationRequested();

        var order = checks.Select((c, i) => (c.Kind, i)).ToDictionary(p => p.Kind, p => p.i);
        var sorted = results
            .OrderBy(r => order.GetValueOrDefault(r.Kind, int.MaxValue))
            .ThenBy(r => r.Id, StringComparer.Ordinal)
            .ToList();
        return new Report
        {
            Target = target,
            StartedAt = startedAt,
            FinishedAt = time.GetUtcNow(),
            Status = Report.Overall(sorted),
            Checks = sorted,
        };
    }

    private async Task<IReadOnlyList<CheckResult>> RunOneAsync(ICheck check, CheckContext context, CancellationToken cancellationToken)
    {
        try
        {
            return await check.RunAsync(context, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return [context.Result(check.Kind, check.Kind, context.Target.Domain).MarkError("the run's deadline passed before this check finished").Build()];
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return [context.Result(check.Kind, check.Kind, context.Target.Domain).MarkError($"internal error in the {check.Kind} check: {e.GetType().Name}: {e.Message}").Build()];
        }
    }
}
