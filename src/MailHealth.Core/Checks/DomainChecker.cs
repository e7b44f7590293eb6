using MailHealth.Dns;
using MailHealth.Memory;
using MailHealth.Network;
using MailHealth.Reports;
using MailHealth.Smtp;
using MailHealth.Targets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MailHealth.Checks;

/// <summary>
/// Runs the checks of one target once (every check, or those the target chose: <see cref="CheckKinds.IsReported"/>)
/// and gathers the report. Checks run concurrently; a check
/// that throws becomes an <c>error</c> result and is logged with its stack (a bug in one check
/// must not hide the others, nor another target's run).
/// </summary>
public sealed class DomainChecker
{
    private readonly IReadOnlyList<ICheck> _checks;
    private readonly Dictionary<string, int> _order;
    private readonly CheckServices _services;
    private readonly DnsResolver _dns;
    private readonly CheckOptions _options;
    private readonly NetworkLimiter _network;
    private readonly TimeProvider _time;
    private readonly ILogger<DomainChecker> _logger;
    private readonly SharedProbes? _sharedProbes;

    public DomainChecker(
        IEnumerable<ICheck> checks,
        CheckServices services,
        DnsResolver dns,
        IOptions<CheckOptions> options,
        NetworkLimiter network,
        TimeProvider time,
        ILogger<DomainChecker> logger,
        SharedProbes? sharedProbes = null)
    {
        ArgumentNullException.ThrowIfNull(checks);
        ArgumentNullException.ThrowIfNull(options);
        _checks = [.. checks];
        _order = _checks.Select((c, i) => (c.Kind, i)).DistinctBy(p => p.Kind).ToDictionary(p => p.Kind, p => p.i);
        _services = services;
        _dns = dns;
        _options = options.Value;
        _network = network;
        _time = time;
        _logger = logger;
        _sharedProbes = sharedProbes;
    }

    /// <summary>The checks, in report order.</summary>
    public IReadOnlyList<ICheck> Checks => _checks;

    /// <summary>A one-off run (<c>mailhealth check</c>): nothing remembered, what is needed is found inline.</summary>
    public Task<Report> RunAsync(Target target, CancellationToken cancellationToken) => RunAsync(target, null, cancellationToken);

    /// <summary>A run with what the monitor remembers about the target (<paramref name="memory"/>: its DKIM selectors).</summary>
    public async Task<Report> RunAsync(Target target, TargetMemory? memory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var startedAt = _time.GetUtcNow();
        using var deadline = new CancellationTokenSource(_options.RunDeadline, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        // A view of the resolver for this run: a question asked twice in the run is answered once.
        var context = new CheckContext(target, _dns.ForRun(), _options, _time, _services, linked.Token, _network, _sharedProbes, memory);

        var chosen = _checks.Where(check => CheckKinds.IsReported(target, check.Kind)).ToList();
        if (chosen.Any(check => CheckKinds.ReadingProbes.Contains(check.Kind)))
        {
            // The probes start as soon as the mail hosts are known, not when the first check that
            // reads them gets there (DANE asks its TLSA records first): the run's DNS work then
            // goes on beside the probes, never before them (issue 17).
            _ = context.SmtpProbes;
        }

        var runs = chosen.Select(check => RunOneAsync(check, context, linked.Token)).ToList();
        var results = (await Task.WhenAll(runs).ConfigureAwait(false)).SelectMany(r => r).ToList();
        cancellationToken.ThrowIfCancellationRequested();

        var sorted = results
            .OrderBy(r => _order.GetValueOrDefault(r.Kind, int.MaxValue))
            .ThenBy(r => r.Id, StringComparer.Ordinal)
            .ToList();
        var report = new Report
        {
            Target = target,
            StartedAt = startedAt,
            FinishedAt = _time.GetUtcNow(),
            Status = Report.Overall(sorted),
            Checks = sorted,
        };
        CheckLog.RunFinished(_logger, target.Id, report.Status, (long)(report.FinishedAt - startedAt).TotalMilliseconds);
        return report;
    }

    private async Task<IReadOnlyList<CheckResult>> RunOneAsync(ICheck check, CheckContext context, CancellationToken cancellationToken)
    {
        try
        {
            return await check.RunAsync(context, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            CheckLog.CheckPastDeadline(_logger, check.Kind, context.Target.Id, _options.RunDeadline);
            return [context.Result(check.Kind, check.Kind, context.Target.Domain).MarkError("the run's deadline passed before this check finished").Build()];
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            CheckLog.CheckThrew(_logger, check.Kind, context.Target.Id, e);
            return [context.Result(check.Kind, check.Kind, context.Target.Domain).MarkError($"internal error in the {check.Kind} check: {e.GetType().Name}: {e.Message}").Build()];
        }
    }
}
