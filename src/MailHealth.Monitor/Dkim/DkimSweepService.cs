using MailHealth.Checks;
using MailHealth.Dkim;
using MailHealth.Dns;
using MailHealth.Fleet;
using MailHealth.Memory;
using MailHealth.Storage.Dkim;
using MailHealth.Storage.Targets;
using MailHealth.Targets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MailHealth.Monitor.Dkim;

/// <summary>
/// The DKIM selector discovery sweep (<see cref="DkimSelectorSweep"/>) for both hosts, never per
/// cycle: when a run meets a target that was never swept (its first run, or its domain changed)
/// and daily for every enabled target (the Functions timer <c>SweepDkimSelectors</c>, <c>serve</c>'s
/// cron job), with what it finds remembered in <see cref="DkimSelectorStore"/>. A target that names
/// its selectors, or does not run the <c>dkim</c> check, is not swept.
/// </summary>
public sealed class DkimSweepService(
    TargetStore targets,
    DkimSelectorStore selectors,
    DnsResolver dns,
    IOptions<CheckOptions> checkOptions,
    IOptions<FleetSettings> fleet,
    TimeProvider time,
    ILogger<DkimSweepService> logger)
{
    /// <summary>
    /// A sweep younger than this is today's: the daily job skips its target, so a job that ticks a
    /// little early, or runs twice (two processes), sweeps nobody twice.
    /// </summary>
    public static readonly TimeSpan SweptRecently = TimeSpan.FromHours(20);

    /// <summary>
    /// What a run of <paramref name="target"/> works from: the remembered selectors (one partition
    /// read, kept by the process for <see cref="DkimSelectorStore.KeptFor"/>), after a sweep now when
    /// the target was never swept. A sweep that got no answer is
    /// handed to the run (which reports it) but not remembered, so the next run sweeps again.
    /// Null when the target does not run the <c>dkim</c> check: there is nothing to read.
    /// </summary>
    public async Task<TargetMemory?> RecallAsync(Target target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (!CheckKinds.IsReported(target, CheckKinds.Dkim))
        {
            return null;
        }

        var memory = await selectors.GetAsync(target.Id, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!NeedsSweep(target) || memory.LastDkimSweep?.Domain == target.Domain)
        {
            return memory;
        }

        var record = await SweepAsync(target, memory, cancellationToken).ConfigureAwait(false);
        return record.Outcome == DkimSweepOutcome.Unanswered
            ? memory with { LastDkimSweep = record }
            : await selectors.GetAsync(target.Id, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The daily sweep: every enabled target that needs one and was not swept in the last
    /// <see cref="SweptRecently"/>, <c>MailHealth:Fleet:MaxConcurrentTargets</c> at a time, each
    /// result stored as it comes (a job cut short leaves the rest for the next run or the next day).
    /// </summary>
    public async Task<DkimSweepTally> SweepDueAsync(CancellationToken cancellationToken)
    {
        var tally = new DkimSweepTally();
        using var slots = new SemaphoreSlim(fleet.Value.MaxConcurrentTargets);
        var running = new List<Task>();
        await foreach (var target in targets.AllAsync(enabledOnly: true, cancellationToken).ConfigureAwait(false))
        {
            if (!NeedsSweep(target))
            {
                continue;
            }

            await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            running.RemoveAll(t => t.IsCompleted);
            running.Add(SweepIfDueAsync(target));
        }

        await Task.WhenAll(running).ConfigureAwait(false);
        DkimSweepLog.SweptDue(logger, tally.Swept, tally.Found, tally.Unanswered, tally.Questions);
        return tally;

        async Task SweepIfDueAsync(Target target)
        {
            try
            {
                // Storage's word, not this process's copy: another process may have swept it within the hour.
                var memory = await selectors.GetAsync(target.Id, fresh: true, cancellationToken).ConfigureAwait(false);
                if (memory.LastDkimSweep is { } last && last.Domain == target.Domain && time.GetUtcNow() - last.At < SweptRecently)
                {
                    return;
                }

                tally.Add(await SweepAsync(target, memory, cancellationToken).ConfigureAwait(false));
            }
            finally
            {
                slots.Release();
            }
        }
    }

    /// <summary>A target whose selectors must be found: it runs <c>dkim</c> and names none.</summary>
    private static bool NeedsSweep(Target target) =>
        target.DkimSelectors.Count == 0 && CheckKinds.IsReported(target, CheckKinds.Dkim);

    private async Task<DkimSweepRecord> SweepAsync(Target target, TargetMemory memory, CancellationToken cancellationToken)
    {
        // The guard asks a selector the domain is known to use first (reported, found before).
        var known = memory.LastDkimSweep?.Domain == target.Domain
            ? memory.DkimSelectors.OrderBy(s => s.OnlyGuessed).Select(s => s.Selector).ToList()
            : [];
        using var bound = new SemaphoreSlim(checkOptions.Value.MaxConcurrency);
        var sweep = await DkimSelectorSweep.SweepAsync(dns.ForRun(), target.Domain, known, bound, cancellationToken).ConfigureAwait(false);
        var record = sweep.ToRecord(target.Domain, time.GetUtcNow());
        await selectors.SaveSweepAsync(target.Id, record, sweep.Found, sweep.Unanswered, cancellationToken).ConfigureAwait(false);
        DkimSweepLog.Swept(logger, target.Id, target.Domain, record.Outcome, sweep.Found.Count, record.Questions);
        return record;
    }
}
