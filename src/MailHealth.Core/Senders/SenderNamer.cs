using System.Net;
using System.Net.Sockets;
using DnsClient;
using DnsClient.Protocol;
using MailHealth.Dns;
using MailHealth.PublicSuffix;
using MailHealth.Spf;

namespace MailHealth.Senders;

/// <summary>
/// Names the source addresses of DMARC aggregate reports (docs/reports.md): each address's
/// forward-confirmed PTR name, that name's registrable domain by the Public Suffix List, and the
/// term of the policy domain's own SPF record that authorises it, from the project's RFC 7208
/// evaluator. Lookups run concurrently, at most <see cref="SenderNamingSettings.Concurrency"/>
/// at once across all callers; each address is named once for every report that holds it while
/// its name is remembered; a call waits at most <see cref="SenderNamingSettings.Deadline"/>, so a
/// report of 900,000 rows never waits for its PTR lookups in turn.
/// </summary>
public sealed class SenderNamer : IDisposable
{
    // RFC 7208 section 4.6.4 looks at no more than 10 PTR names of one address; so does the naming.
    private const int MaxPtrNames = SpfEvaluator.MaxNames;

    private readonly DnsResolver _dns;
    private readonly Lazy<PublicSuffixList> _suffixes;
    private readonly SenderNamingSettings _settings;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _slots;
    private readonly CancellationTokenSource _stopping = new();
    private readonly SharedLookups<IPAddress, ReverseName> _reverse;
    private readonly SharedLookups<(string Domain, IPAddress Ip), SpfVerdict> _verdicts;

    /// <param name="dns">Where to ask; its cache and network bound apply as to every check.</param>
    /// <param name="settings">Validated settings.</param>
    /// <param name="time">The clock the deadline and the remembered names go by.</param>
    /// <param name="suffixes">The Public Suffix List; null: read from <see cref="SenderNamingSettings.PublicSuffixListPath"/> at the first name.</param>
    public SenderNamer(DnsResolver dns, SenderNamingSettings settings, TimeProvider time, PublicSuffixList? suffixes = null)
    {
        ArgumentNullException.ThrowIfNull(dns);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(time);
        _dns = dns;
        _settings = settings;
        _time = time;
        _suffixes = suffixes is null
            ? new Lazy<PublicSuffixList>(() => PublicSuffixList.Load(settings.PublicSuffixListFile()))
            : new Lazy<PublicSuffixList>(suffixes);
        _slots = new SemaphoreSlim(settings.Concurrency, settings.Concurrency);
        _reverse = new(settings.CacheCapacity, settings.CacheAge, time, name => name.Problem is not (SenderNameProblem.TimedOut or SenderNameProblem.LookupFailed));
        _verdicts = new(settings.CacheCapacity, settings.CacheAge, time, verdict => verdict.Result != SpfResult.TempError);
    }

    /// <summary>Addresses whose names are remembered now (for tests and the benchmark).</summary>
    public int RememberedNames => _reverse.Count;

    /// <summary>
    /// Names each distinct source of one policy domain's report, in the order first given. Waits
    /// for the lookups until the deadline; a source not named by then says
    /// <see cref="SenderNameProblem.NotNamedInTime"/> (and <see cref="SenderName.SpfResult"/> null
    /// if its SPF verdict is missing too).
    /// </summary>
    /// <param name="policyDomain">The domain the report is about (its <c>policy_published/domain</c>), whose SPF record is evaluated.</param>
    /// <param name="sources">The reported source addresses; repeats are named once.</param>
    public async Task<IReadOnlyList<SenderName>> NameAsync(string policyDomain, IEnumerable<IPAddress> sources, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(policyDomain);
        ArgumentNullException.ThrowIfNull(sources);
        ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);
        var deadline = Task.Delay(_settings.Deadline, _time, cancellationToken);
        var domain = Canonical.Name(policyDomain);
        var ips = sources.Select(Canonical.Address).Distinct().ToList();

        // One view of the resolver for this call's evaluations: the domain's records and the
        // names its a/mx terms hold are asked once, not once per address (SpfRecordCache).
        var run = _dns.ForRun();
        var evaluator = new SpfEvaluator(run, _time, new SpfRecordCache(run));

        // Each address's two lookups queue for the slots side by side, so that at the deadline
        // the sources named so far have their SPF verdicts too.
        var names = new List<Task<ReverseName>>(ips.Count);
        var verdicts = new List<Task<SpfVerdict>>(ips.Count);
        foreach (var ip in ips)
        {
            names.Add(_reverse.GetOrStart(ip, () => InSlotAsync(ct => ReverseAsync(ip, ct))));
            verdicts.Add(_verdicts.GetOrStart((domain, ip), () => InSlotAsync(ct => EvaluateAsync(evaluator, domain, ip, ct))));
        }

        // WhenAny: never throws, so one broken lookup cannot cost the report its other names.
        await Task.WhenAny(Task.WhenAll(names.Concat<Task>(verdicts)), deadline).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();

        var suffixes = _suffixes.Value;
        return [.. ips.Select((ip, i) => Describe(ip, names[i], verdicts[i], suffixes))];
    }

    public void Dispose()
    {
        // Lookups still running end at their next await; the slots' semaphore is left to the
        // collector, since a lookup may still be releasing it.
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private static SenderName Describe(IPAddress ip, Task<ReverseName> name, Task<SpfVerdict> verdict, PublicSuffixList suffixes)
    {
        var reverse = name.IsCompletedSuccessfully ? name.Result : new ReverseName(null, SenderNameProblem.NotNamedInTime);
        var spf = verdict.IsCompletedSuccessfully ? verdict.Result : null;
        return new SenderName
        {
            Ip = ip,
            PtrName = reverse.Name,
            BaseDomain = reverse.Problem == SenderNameProblem.None && reverse.Name is not null
                ? suffixes.RegistrableDomainOf(reverse.Name)
                : null,
            Problem = reverse.Problem,
            SpfResult = spf?.Result,
            SpfMatch = spf?.Match,
        };
    }

    private async Task<T> InSlotAsync<T>(Func<CancellationToken, Task<T>> lookup)
    {
        var stopping = _stopping.Token;
        await _slots.WaitAsync(stopping).ConfigureAwait(false);
        try
        {
            return await lookup(stopping).ConfigureAwait(false);
        }
        finally
        {
            _slots.Release();
        }
    }

    // RFC 7208 section 5.5's validation (and RFC 8601's iprev): the PTR names of the address,
    // then each name's addresses of the same family until one of them is the address.
    private async Task<ReverseName> ReverseAsync(IPAddress ip, CancellationToken cancellationToken)
    {
        var ptr = await _dns.GetPtrAsync(ip, cancellationToken).ConfigureAwait(false);
        if (!ptr.Answered)
        {
            return new ReverseName(null, Failure(ptr));
        }

        var ptrNames = ptr.Of<PtrRecord>()
            .Select(r => r.PtrDomainName.Value.TrimEnd('.'))
            .Where(n => n.Length > 0)
            .Take(MaxPtrNames)
            .ToList();
        if (ptrNames.Count == 0)
        {
            return new ReverseName(null, SenderNameProblem.NoPtr);
        }

        var type = ip.AddressFamily == AddressFamily.InterNetworkV6 ? QueryType.AAAA : QueryType.A;
        DnsAnswer? failed = null;
        foreach (var ptrName in ptrNames)
        {
            var forward = await _dns.QueryAsync(ptrName, type, cancellationToken).ConfigureAwait(false);
            if (!forward.Answered)
            {
                failed ??= forward;
            }
            else if (forward.Of<ARecord>().Select(r => r.Address).Concat(forward.Of<AaaaRecord>().Select(r => r.Address)).Any(ip.Equals))
            {
                return new ReverseName(Canonical.Name(ptrName), SenderNameProblem.None);
            }
        }

        // Unconfirmed only when every name was answered; a lookup that failed may have confirmed it.
        return new ReverseName(Canonical.Name(ptrNames[0]), failed is null ? SenderNameProblem.Unconfirmed : Failure(failed));
    }

    private static SenderNameProblem Failure(DnsAnswer answer) => answer.Outcome switch
    {
        DnsOutcome.NxDomain or DnsOutcome.NoData => SenderNameProblem.NoPtr,
        DnsOutcome.Timeout => SenderNameProblem.TimedOut,
        _ => SenderNameProblem.LookupFailed,
    };

    // check_host() as a receiver would run it for mail from postmaster@domain (RFC 7208 section
    // 4.3 gives "postmaster" to a sender without local-part): the report's rows carry no local-part.
    private static async Task<SpfVerdict> EvaluateAsync(SpfEvaluator evaluator, string domain, IPAddress ip, CancellationToken cancellationToken)
    {
        var evaluation = await evaluator.CheckHostAsync(new SpfRequest(ip, $"postmaster@{domain}", domain), cancellationToken).ConfigureAwait(false);
        return new SpfVerdict(evaluation.Result, evaluation.Match);
    }

    private sealed record ReverseName(string? Name, SenderNameProblem Problem);

    private sealed record SpfVerdict(SpfResult Result, SpfMatch? Match);
}
