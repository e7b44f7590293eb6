using System.Collections.Concurrent;
using System.Net;
using MailHealth.Dns;
using MailHealth.Senders;
using MailHealth.Spf;
using MailHealth.Storage.ReceiverReports;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MailHealth.Monitor.ReceiverReports;

/// <summary>
/// Names the source addresses of a domain's aggregate reports and keeps the names
/// (<see cref="DmarcSenderStore"/>; docs/reports.md, "Naming the senders"). Called after a report
/// is committed, with its sources, and by each run of a target, with the sources of its window
/// that have no name yet: a process that stopped between a commit and its naming leaves names
/// for the next run. An address is named when it has no name yet, when its naming failed more than
/// <see cref="SenderNamingSettings.RetryAfter"/> ago, or when its name is older than
/// <see cref="SenderNamingSettings.RenameAfter"/>; otherwise only its seen days widen. Naming is
/// never a reason to fail: a failure is logged, and the addresses stay due. An address new to a
/// full bucket of the domain's names (<see cref="DmarcSenderStore.MaxNamesPerBucket"/>) is not
/// looked up: a warning says how many, and they show unnamed. The warning is said once a day per
/// domain, or sooner when more addresses are refused: every run of the target asks again for the
/// same refused addresses, and a warning every five minutes would say nothing new.
/// </summary>
public sealed partial class DmarcSenderNaming(
    DmarcSenderStore store,
    SenderNamer namer,
    ReportStorageCalls storage,
    IOptions<SenderNamingSettings> settings,
    TimeProvider time,
    ILogger<DmarcSenderNaming> logger)
{
    private int _namings;
    private long _sources;
    private long _due;
    private long _named;
    private int _failed;
    private long _tookTicks;
    private long _lookupTicks;
    private string? _lastFailure;

    /// <summary>Per domain, the day and the count of the last capacity warning (one entry per domain at capacity).</summary>
    private readonly ConcurrentDictionary<string, (DateOnly Day, int Count)> _fullWarned = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>What the namings of this process did so far.</summary>
    public SenderNamingTotals Totals => new(
        Volatile.Read(ref _namings), Interlocked.Read(ref _sources), Interlocked.Read(ref _due), Interlocked.Read(ref _named),
        Volatile.Read(ref _failed), TimeSpan.FromTicks(Interlocked.Read(ref _tookTicks)),
        TimeSpan.FromTicks(Interlocked.Read(ref _lookupTicks)), Volatile.Read(ref _lastFailure));

    /// <summary>Names those of <paramref name="seen"/> (sources of <paramref name="domain"/>) that are due and widens the others' seen days. Returns how many were named.</summary>
    public async Task<int> NameAsync(string domain, IReadOnlyCollection<SeenSource> seen, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(seen);
        if (seen.Count == 0)
        {
            return 0;
        }

        var started = time.GetTimestamp();
        Interlocked.Increment(ref _namings);
        Interlocked.Add(ref _sources, seen.Count);
        try
        {
            var named = await NameOrThrowAsync(domain, seen, cancellationToken).ConfigureAwait(false);
            Interlocked.Add(ref _named, named);
            return named;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            Interlocked.Increment(ref _failed);
            Volatile.Write(ref _lastFailure, e.Message);
            LogNamingFailed(logger, domain, seen.Count, e.Message);
            return 0;
        }
        finally
        {
            Interlocked.Add(ref _tookTicks, time.GetElapsedTime(started).Ticks);
        }
    }

    /// <summary>
    /// Names the sources of a target's window (<see cref="ReceiverTotalsReader.DmarcSendersAsync(string, IReadOnlyList{ReportDayTotals}, CancellationToken)"/>)
    /// whose naming is due: those a report's own naming missed (the process stopped after the
    /// commit, the naming failed or ran out of time, the report came through
    /// <c>mailhealth reports import --no-naming</c>, its sources were too many) and those whose
    /// names have aged. Returns how many were named.
    /// </summary>
    public Task<int> NameDueAsync(string domain, IEnumerable<DmarcSender> window, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(window);
        var now = time.GetUtcNow();
        return NameAsync(
            domain,
            [.. window.Where(s => IsDue(s.NamedAt, s.Problem, s.SpfResult, now)).Select(s => new SeenSource(s.Ip, s.FirstSeen, s.LastSeen))],
            cancellationToken);
    }

    /// <summary>Whether a naming made at <paramref name="namedAt"/> (null: never) is due again at <paramref name="now"/>: soon when it failed, after days when it did not.</summary>
    private bool IsDue(DateTimeOffset? namedAt, string? problem, string? spfResult, DateTimeOffset now)
    {
        if (namedAt is null)
        {
            return true;
        }

        var failed = spfResult is null || spfResult == SpfResult.TempError.Name()
            || problem is nameof(SenderNameProblem.TimedOut) or nameof(SenderNameProblem.LookupFailed) or nameof(SenderNameProblem.NotNamedInTime);
        return now - namedAt.Value >= (failed ? settings.Value.RetryAfter : settings.Value.RenameAfter);
    }

    private async Task<int> NameOrThrowAsync(string domain, IReadOnlyCollection<SeenSource> seen, CancellationToken cancellationToken)
    {
        // One read of the domain's names; the write below is conditional on it and merges with
        // whatever another process wrote since (DmarcSenderStore).
        var known = await storage.RunAsync(ct => store.ReadAsync(domain, ct), cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var due = new List<(SeenSource Source, IPAddress Address)>();
        var widened = new List<StoredSender>();
        foreach (var source in seen)
        {
            var stored = known.Find(source.Ip);
            if (stored is null || IsDue(stored.NamedAt, stored.Problem, stored.SpfResult, now))
            {
                if (IPAddress.TryParse(source.Ip, out var address))
                {
                    due.Add((source, Canonical.Address(address)));
                }
            }
            else if (source.FirstSeen < stored.FirstSeen || source.LastSeen > stored.LastSeen)
            {
                widened.Add(Widened(stored, source));
            }
        }

        // Addresses whose bucket of names is full are not looked up: their names could not be kept.
        var full = known.BeyondCapacity(due.Select(d => d.Source.Ip)).ToHashSet(StringComparer.Ordinal);
        due.RemoveAll(d => full.Contains(d.Source.Ip));
        Interlocked.Add(ref _due, due.Count);
        var named = new List<StoredSender>(due.Count);
        if (due.Count > 0)
        {
            var started = time.GetTimestamp();
            var names = (await namer.NameAsync(domain, due.Select(d => d.Address), cancellationToken).ConfigureAwait(false))
                .ToDictionary(n => n.Ip.ToString(), StringComparer.Ordinal);
            Interlocked.Add(ref _lookupTicks, time.GetElapsedTime(started).Ticks);
            foreach (var (source, address) in due)
            {
                if (names.TryGetValue(address.ToString(), out var name))
                {
                    named.Add(Stored(source, name, now, known.Find(source.Ip)));
                }
            }
        }

        if (named.Count + widened.Count > 0)
        {
            // Each touched bucket written once, in one storage call: 20,000 names are one transaction of 64 rows.
            var write = await storage.RunAsync(ct => store.WriteAsync(known, [.. named, .. widened], ct), cancellationToken).ConfigureAwait(false);
            full.UnionWith(write.Refused);
        }

        if (full.Count > 0)
        {
            WarnFull(domain, full.Count, now);
        }

        return named.Count(n => n.Problem != nameof(SenderNameProblem.NotNamedInTime) && !full.Contains(n.Ip));
    }

    private void WarnFull(string domain, int count, DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var warned = _fullWarned.GetValueOrDefault(domain);
        if (warned.Day != today || count > warned.Count)
        {
            _fullWarned[domain] = (today, count);
            LogNamesFull(logger, count, domain, DmarcSenderStore.MaxNamesPerDomain);
        }
    }

    private static StoredSender Stored(SeenSource source, SenderName name, DateTimeOffset now, StoredSender? before) => new()
    {
        Ip = source.Ip,
        PtrName = name.PtrName,
        Confirmed = name.Problem == SenderNameProblem.None,
        BaseDomain = name.BaseDomain,
        Problem = name.Problem.ToString(),
        SpfResult = name.SpfResult?.Name(),
        SpfTerm = name.SpfMatch?.TopTerm,
        SpfMechanism = name.SpfMatch?.Mechanism,
        NamedAt = now,
        FirstSeen = before is null ? source.FirstSeen : Widened(before, source).FirstSeen,
        LastSeen = before is null ? source.LastSeen : Widened(before, source).LastSeen,
    };

    private static StoredSender Widened(StoredSender stored, SeenSource source) => stored with
    {
        FirstSeen = source.FirstSeen < stored.FirstSeen ? source.FirstSeen : stored.FirstSeen,
        LastSeen = source.LastSeen > stored.LastSeen ? source.LastSeen : stored.LastSeen,
    };

    [LoggerMessage(EventId = 2802, Level = LogLevel.Warning, Message = "{Count} report sources of {Domain} stay unnamed: the domain's names are at capacity (about {Capacity}, docs/storage.md); the report and its counts are kept")]
    private static partial void LogNamesFull(ILogger logger, int count, string domain, int capacity);

    [LoggerMessage(EventId = 2801, Level = LogLevel.Warning, Message = "Naming {Count} report sources of {Domain} failed; they stay due for the next report or run: {Reason}")]
    private static partial void LogNamingFailed(ILogger logger, string domain, int count, string reason);
}
