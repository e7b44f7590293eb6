using System.Collections.Concurrent;
using System.Globalization;
using MailHealth.Checks;
using MailHealth.Sharing;
using MailHealth.Targets;

namespace MailHealth.Smtp;

/// <summary>
/// SMTP probes shared by the targets whose mail goes to the same host
/// (<see cref="CheckOptions.ShareProbesFor"/>): a fleet's domains often share a provider's MX
/// hosts, and what a probe of one host, address list and port sees does not depend on which
/// domain asked. So while a probe is running, every other target that needs it waits for it
/// instead of opening its own connection; once finished, it is kept for the configured age,
/// never longer, so each cycle still probes afresh. The provider's server sees one connection
/// where it would have seen one per domain, and the fleet's run spends no time on the repeats.
/// <para>
/// A finished probe is kept only when a second target asked for it (while it ran, or once
/// before, as the <see cref="Doorkeeper"/> remembers): a domain's own host is probed once and
/// forgotten, so memory holds the shared hosts and the probes in flight, not the fleet.
/// A probe cut short by shutdown is never shared.
/// </para>
/// </summary>
public sealed class SharedProbes : IDisposable
{
    /// <summary>The most finished probes kept at once: a fleet shares far fewer hosts than this.</summary>
    public const int Capacity = 1024;

    /// <summary>Evidence key of a result that is another target's probe: when that probe started.</summary>
    public const string SharedProbeEvidence = "sharedProbe";

    private const int SweepEvery = 64;
    private readonly ConcurrentDictionary<ProbeKey, Entry> _probes = new();
    private readonly Doorkeeper _doorkeeper = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly TimeSpan _maximumAge;
    private readonly TimeProvider _time;
    private int _kept;
    private int _finished;

    /// <param name="maximumAge">How long a finished probe is kept; zero: nothing is shared, every caller probes on its own.</param>
    /// <param name="time">The clock of the ages.</param>
    public SharedProbes(TimeSpan maximumAge, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maximumAge, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(time);
        _maximumAge = maximumAge;
        _time = time;
    }

    /// <summary>How long a finished probe is kept; zero when nothing is shared.</summary>
    public TimeSpan MaximumAge => _maximumAge;

    /// <summary>Finished probes kept now, expired ones included until the next sweep (for tests).</summary>
    internal int KeptCount => Volatile.Read(ref _kept);

    /// <summary>
    /// True when a probe of <paramref name="port"/> for <paramref name="target"/> sees what any
    /// other target's would: not when the target adds its own commands (the relay test, AUTH with
    /// its own credentials on a submission port).
    /// </summary>
    public static bool CanShare(Target target, PortSpec port)
    {
        ArgumentNullException.ThrowIfNull(target);
        return !target.RelayTest && (target.Credentials is null || port.Role == SmtpRole.Smtp);
    }

    /// <summary>
    /// The outcome of the probe of <paramref name="host"/> and <paramref name="port"/>: a running
    /// or kept one when there is one, else a new one started with <paramref name="probe"/>. The
    /// probe runs on its own, bounded by its own deadlines and this object's lifetime; the caller's
    /// token ends only the caller's wait (an <see cref="OperationCanceledException"/>).
    /// </summary>
    public async Task<SmtpProbeOutcome> ProbeAsync(
        MailHost host, PortSpec port, Func<CancellationToken, Task<SmtpProbeOutcome>> probe, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(probe);
        if (_maximumAge == TimeSpan.Zero)
        {
            return await probe(cancellationToken).ConfigureAwait(false);
        }

        var key = new ProbeKey(host.Name.ToLowerInvariant(), port, string.Join(' ', host.Addresses));
        var now = _time.GetUtcNow();
        var (entry, started) = Claim(key, now);
        if (started)
        {
            _ = RunAsync(key, entry, probe);
        }

        var outcome = await entry.Outcome.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        // The outcome names the asking target's host (its MX preference may differ); a waiter's
        // result says whose probe it is reading, and since when.
        return started ? outcome with { Host = host } : outcome with { Host = host, Result = Shared(outcome.Result, entry.StartedAt) };
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private (Entry Entry, bool Started) Claim(ProbeKey key, DateTimeOffset now)
    {
        while (true)
        {
            if (_probes.TryGetValue(key, out var existing))
            {
                if (!existing.Outcome.Task.IsCompleted || existing.ExpiresAt > now)
                {
                    Interlocked.Increment(ref existing.Askers);
                    return (existing, false);
                }

                // Expired: replaced below, unless another caller replaces it first.
                var fresh = new Entry(now);
                if (_probes.TryUpdate(key, fresh, existing))
                {
                    Interlocked.Decrement(ref _kept);
                    return (fresh, true);
                }

                continue;
            }

            var entry = new Entry(now);
            if (_probes.TryAdd(key, entry))
            {
                return (entry, true);
            }
        }
    }

    private async Task RunAsync(ProbeKey key, Entry entry, Func<CancellationToken, Task<SmtpProbeOutcome>> probe)
    {
        SmtpProbeOutcome outcome;
        try
        {
            outcome = await probe(_stopping.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // The waiters see the failure; nothing is kept.
            _probes.TryRemove(KeyValuePair.Create(key, entry));
            entry.Outcome.SetException(e);
            return;
        }

        var now = _time.GetUtcNow();
        var keep = !_stopping.IsCancellationRequested
            && (Volatile.Read(ref entry.Askers) > 1 | _doorkeeper.AskedBefore(key))
            && Volatile.Read(ref _kept) < Capacity;
        if (keep)
        {
            entry.ExpiresAt = now + _maximumAge;
            Interlocked.Increment(ref _kept);
        }
        else
        {
            _probes.TryRemove(KeyValuePair.Create(key, entry));
        }

        // Set after the entry's fate, so a caller that finds it completed also finds ExpiresAt.
        entry.Outcome.SetResult(outcome);
        if (Interlocked.Increment(ref _finished) % SweepEvery == 0)
        {
            Sweep(now);
        }
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (key, entry) in _probes)
        {
            if (entry.Outcome.Task.IsCompleted && entry.ExpiresAt <= now && _probes.TryRemove(KeyValuePair.Create(key, entry)))
            {
                Interlocked.Decrement(ref _kept);
            }
        }
    }

    private static CheckResult Shared(CheckResult result, DateTimeOffset startedAt) => result with
    {
        Evidence = new Dictionary<string, object?>(result.Evidence)
        {
            [SharedProbeEvidence] = new Dictionary<string, object?>
            {
                ["startedAt"] = startedAt.ToString("O", CultureInfo.InvariantCulture),
            },
        },
    };

    private readonly record struct ProbeKey(string Host, PortSpec Port, string Addresses);

    private sealed class Entry(DateTimeOffset startedAt)
    {
        public readonly TaskCompletionSource<SmtpProbeOutcome> Outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int Askers = 1;

        public DateTimeOffset StartedAt { get; } = startedAt;

        /// <summary>Set, before <see cref="Outcome"/> completes, when the finished probe is kept.</summary>
        public DateTimeOffset ExpiresAt { get; set; } = DateTimeOffset.MinValue;
    }
}
