using System.Collections.Concurrent;
using System.Net;
using System.Runtime.CompilerServices;
using DnsClient;
using DnsClient.Protocol;
using MailHealth.Network;

namespace MailHealth.Dns;

/// <summary>
/// The checker's own resolver. Every name any check uses (MX hosts, policy hosts, PTR targets,
/// blocklist queries) goes through it, so one set of servers drives a whole check.
/// </summary>
public sealed class DnsResolver
{
    private readonly LookupClient _client;
    private readonly NetworkLimiter _network;
    private readonly TimeProvider _time;

    // With UseCache: answers shared by every run of the process, each for its TTL within the
    // bounds of SharedAnswers. Null without UseCache. Failures are never kept.
    private readonly SharedAnswers? _shared;

    // Questions sent to the servers, counted for the resolver and all its run views.
    private readonly StrongBox<long> _sent = new();

    // Set on a run's view (ForRun): each question is asked once per run, its answer shared by the
    // checks of that run and forgotten with it. Null on the process-wide resolver.
    // Lazy: GetOrAdd may run its factory on two threads at once for one key, and the factory
    // sends the question; only the published Lazy's value ever runs.
    private readonly ConcurrentDictionary<(string Name, QueryType Type), Lazy<Task<DnsAnswer>>>? _asked;

    /// <param name="options">Servers, deadlines, cache.</param>
    /// <param name="network">The process-wide bound every query goes through; unbounded when null.</param>
    /// <param name="time">The clock the shared answers expire by (<see cref="DnsResolverOptions.UseCache"/>); the system's when null.</param>
    public DnsResolver(DnsResolverOptions options, NetworkLimiter? network = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _network = network ?? NetworkLimiter.Unbounded;
        _time = time ?? TimeProvider.System;
        _shared = options.UseCache ? new SharedAnswers(options) : null;
        var lookupOptions = options.Servers.Count > 0
            ? new LookupClientOptions([.. options.Servers])
            : new LookupClientOptions();
        lookupOptions.Timeout = options.Timeout;
        lookupOptions.Retries = options.Retries;
        // DnsClient's cache keeps answers with records only; SharedAnswers keeps the negative
        // ones too (RFC 2308), which a fleet shares as often (its providers' AAAA, TLSA, the
        // DMARC tree walk's upper names, unlisted addresses in a blocklist).
        lookupOptions.UseCache = false;
        // Error replies come back as responses. DnsClient (1.8) still throws and catches a
        // DnsResponseException of its own for every reply whose RCODE is not NOERROR, NXDOMAIN
        // included, whatever these settings: the runtime's exception counter counts each, and it
        // is not a failure (docs/operations.md, "CPU").
        lookupOptions.ThrowDnsErrors = false;
        lookupOptions.ContinueOnDnsError = true;
        // An empty answer is an answer (NODATA), not a reason to ask the next server.
        lookupOptions.ContinueOnEmptyResponse = false;
        lookupOptions.UseTcpFallback = true;
        lookupOptions.UseRandomNameServer = false;
        // Ask for DNSSEC so a validating resolver sets the AD bit (evidence for DANE).
        lookupOptions.RequestDnsSecRecords = true;
        _client = new LookupClient(lookupOptions);
        Options = options;
    }

    private DnsResolver(DnsResolver shared)
    {
        _sent = shared._sent;
        _client = shared._client;
        _network = shared._network;
        _time = shared._time;
        _shared = shared._shared;
        Options = shared.Options;
        _asked = new();
    }

    public DnsResolverOptions Options { get; }

    /// <summary>Questions sent to the servers so far by this resolver and its run views (answers recalled from the cache are not counted).</summary>
    public long QuestionsSent => Interlocked.Read(ref _sent.Value);

    /// <summary>Answers kept across runs now (<see cref="DnsResolverOptions.UseCache"/>); for tests.</summary>
    internal int SharedAnswerCount => _shared?.Count ?? 0;

    /// <summary>
    /// A view of this resolver for one run of one target: the same servers, client and network
    /// bound, and each question asked at most once while the run lasts (the MX hosts' addresses,
    /// the SPF records the lint walk and each evaluation read). Nothing outlives the run, so a
    /// monitor sees a changed record at its next run, and memory holds only the runs in flight.
    /// A failed or timed-out answer is not kept: the next asker asks again.
    /// </summary>
    public DnsResolver ForRun() => new(this);

    public async Task<DnsAnswer> QueryAsync(string name, QueryType type, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        var key = (Canonical.Name(name), type);
        if (_asked is null)
        {
            return await AskOrRecallAsync(key, name, type, cancellationToken).ConfigureAwait(false);
        }

        while (true)
        {
            var asked = _asked.GetOrAdd(key, _ => new Lazy<Task<DnsAnswer>>(() => AskOrRecallAsync(key, name, type, cancellationToken)));
            DnsAnswer answer;
            try
            {
                answer = await asked.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The first asker gave up (its own shorter deadline); this one still wants the answer.
                _asked.TryRemove(KeyValuePair.Create(key, asked));
                continue;
            }

            if (answer.Outcome is DnsOutcome.Timeout or DnsOutcome.Failure or DnsOutcome.ServerFailure)
            {
                _asked.TryRemove(KeyValuePair.Create(key, asked));
            }

            return answer;
        }
    }

    /// <summary>The shared answer while it lasts, else the server's (kept for the next run when it may be).</summary>
    private async Task<DnsAnswer> AskOrRecallAsync((string Name, QueryType Type) key, string name, QueryType type, CancellationToken cancellationToken)
    {
        if (_shared?.Recall(key, _time.GetUtcNow()) is { } recalled)
        {
            return recalled;
        }

        var answer = await _network.RunAsync(ct => AskAsync(name, type, ct), cancellationToken).ConfigureAwait(false);
        _shared?.Keep(key, answer, _time.GetUtcNow());
        return answer;
    }

    private async Task<DnsAnswer> AskAsync(string name, QueryType type, CancellationToken cancellationToken)
    {
        var typeName = type.ToString();
        Interlocked.Increment(ref _sent.Value);
        try
        {
            var response = await _client.QueryAsync(name, type, QueryClass.IN, cancellationToken).ConfigureAwait(false);
            var code = response.Header.ResponseCode;
            var fromResolver = response.Header.RecursionAvailable && !response.Header.HasAuthorityAnswer;
            if (code == DnsHeaderResponseCode.NotExistentDomain)
            {
                return new DnsAnswer(name, typeName, DnsOutcome.NxDomain, [], response.Header.IsAuthenticData)
                {
                    Lifetime = NegativeLifetime(response),
                    FromResolver = fromResolver,
                };
            }

            if (code != DnsHeaderResponseCode.NoError)
            {
                var outcome = code == DnsHeaderResponseCode.ServerFailure ? DnsOutcome.ServerFailure : DnsOutcome.Failure;
                return new DnsAnswer(name, typeName, outcome, [], false, $"{code} ({response.ErrorMessage})");
            }

            // Keep the records of the asked type; CNAMEs are followed by the server, and where the
            // chain ends is kept, so no check needs a question of its own to learn that a name is an alias.
            var records = response.Answers.Where(r => r.RecordType == (ResourceRecordType)type).ToList();
            var aliases = response.Answers.OfType<CNameRecord>().ToList();
            return new DnsAnswer(
                name,
                typeName,
                records.Count > 0 ? DnsOutcome.Success : DnsOutcome.NoData,
                records,
                response.Header.IsAuthenticData)
            {
                Signatures = [.. response.Answers.OfType<RRSigRecord>().Where(r => r.CoveredType == (ResourceRecordType)type)],
                CanonicalName = type == QueryType.CNAME || aliases.Count == 0 ? null : aliases[^1].CanonicalName.Value.TrimEnd('.'),
                // The shortest TTL of what was read (a CNAME on the way included).
                Lifetime = records.Count > 0
                    ? TimeSpan.FromSeconds(response.Answers.Min(r => r.InitialTimeToLive))
                    : NegativeLifetime(response),
                FromResolver = fromResolver,
            };
        }
        catch (DnsResponseException e) when (e.Code == DnsResponseCode.ConnectionTimeout)
        {
            return new DnsAnswer(name, typeName, DnsOutcome.Timeout, [], false, "timed out");
        }
        catch (DnsResponseException e)
        {
            return new DnsAnswer(name, typeName, DnsOutcome.Failure, [], false, e.Message);
        }
        catch (DnsResponseParseException e)
        {
            // A reply that is not a DNS message (a hostile or broken server): an answer we could not have.
            return new DnsAnswer(name, typeName, DnsOutcome.Failure, [], false, "malformed answer: " + e.Message.Split('\n')[0]);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new DnsAnswer(name, typeName, DnsOutcome.Timeout, [], false, "timed out");
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException)
        {
            return new DnsAnswer(name, typeName, DnsOutcome.Failure, [], false, e.Message);
        }
    }

    /// <summary>
    /// How long "no such name" or "no data" may be believed: the SOA's TTL or its MINIMUM field,
    /// whichever is less (RFC 2308 section 5); zero, not kept, when the answer carries no SOA.
    /// </summary>
    private static TimeSpan NegativeLifetime(IDnsQueryResponse response) =>
        response.Authorities.OfType<SoaRecord>().Select(soa => TimeSpan.FromSeconds(Math.Min(soa.InitialTimeToLive, (long)soa.Minimum))).FirstOrDefault();

    /// <summary>Both address families of a name. Outcome: success if either has records.</summary>
    public async Task<AddressAnswer> GetAddressesAsync(string name, CancellationToken cancellationToken = default)
    {
        var v4 = QueryAsync(name, QueryType.A, cancellationToken);
        var v6 = QueryAsync(name, QueryType.AAAA, cancellationToken);
        await Task.WhenAll(v4, v6).ConfigureAwait(false);
        return new AddressAnswer(name, await v4.ConfigureAwait(false), await v6.ConfigureAwait(false));
    }

    public Task<DnsAnswer> GetTxtAsync(string name, CancellationToken cancellationToken = default) =>
        QueryAsync(name, QueryType.TXT, cancellationToken);

    /// <summary>The PTR question for an address (in-addr.arpa or ip6.arpa).</summary>
    public Task<DnsAnswer> GetPtrAsync(IPAddress address, CancellationToken cancellationToken = default) =>
        QueryAsync(address.GetArpaName(), QueryType.PTR, cancellationToken);
}
