using System.Collections.Concurrent;
using System.Net;
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

    // Set on a run's view (ForRun): each question is asked once per run, its answer shared by the
    // checks of that run and forgotten with it. Null on the process-wide resolver.
    private readonly ConcurrentDictionary<(string Name, QueryType Type), Task<DnsAnswer>>? _asked;

    /// <param name="options">Servers, deadlines, cache.</param>
    /// <param name="network">The process-wide bound every query goes through; unbounded when null.</param>
    public DnsResolver(DnsResolverOptions options, NetworkLimiter? network = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _network = network ?? NetworkLimiter.Unbounded;
        var lookupOptions = options.Servers.Count > 0
            ? new LookupClientOptions([.. options.Servers])
            : new LookupClientOptions();
        lookupOptions.Timeout = options.Timeout;
        lookupOptions.Retries = options.Retries;
        lookupOptions.UseCache = options.UseCache;
        lookupOptions.MaximumCacheTimeout = options.MaximumCacheAge;
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
        _client = shared._client;
        _network = shared._network;
        Options = shared.Options;
        _asked = new();
    }

    public DnsResolverOptions Options { get; }

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
        if (_asked is null)
        {
            return await _network.RunAsync(ct => AskAsync(name, type, ct), cancellationToken).ConfigureAwait(false);
        }

        var key = (Canonical.Name(name), type);
        while (true)
        {
            var asked = _asked.GetOrAdd(key, _ => _network.RunAsync(ct => AskAsync(name, type, ct), cancellationToken));
            DnsAnswer answer;
            try
            {
                answer = await asked.WaitAsync(cancellationToken).ConfigureAwait(false);
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

    private async Task<DnsAnswer> AskAsync(string name, QueryType type, CancellationToken cancellationToken)
    {
        var typeName = type.ToString();
        try
        {
            var response = await _client.QueryAsync(name, type, QueryClass.IN, cancellationToken).ConfigureAwait(false);
            var code = response.Header.ResponseCode;
            if (code == DnsHeaderResponseCode.NotExistentDomain)
            {
                return new DnsAnswer(name, typeName, DnsOutcome.NxDomain, [], response.Header.IsAuthenticData);
            }

            if (code != DnsHeaderResponseCode.NoError)
            {
                var outcome = code == DnsHeaderResponseCode.ServerFailure ? DnsOutcome.ServerFailure : DnsOutcome.Failure;
                return new DnsAnswer(name, typeName, outcome, [], false, $"{code} ({response.ErrorMessage})");
            }

            // Keep the records of the asked type; CNAMEs are followed by the server.
            var records = response.Answers.Where(r => r.RecordType == (ResourceRecordType)type).ToList();
            return new DnsAnswer(
                name,
                typeName,
                records.Count > 0 ? DnsOutcome.Success : DnsOutcome.NoData,
                records,
                response.Header.IsAuthenticData)
            {
                Signatures = [.. response.Answers.OfType<RRSigRecord>().Where(r => r.CoveredType == (ResourceRecordType)type)],
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
