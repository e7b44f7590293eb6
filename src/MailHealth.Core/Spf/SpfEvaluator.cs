using System.Net;
using System.Net.Sockets;
using DnsClient;
using DnsClient.Protocol;
using MailHealth.Dns;

namespace MailHealth.Spf;

/// <summary>
/// check_host() of RFC 7208 section 4: fetches the record, evaluates its mechanisms left to right,
/// follows include and redirect, expands macros, applies the processing limits of section 4.6.4,
/// and records every step in a trace. DNS goes only through the given <see cref="DnsResolver"/>.
/// </summary>
/// <param name="dns">Where to ask.</param>
/// <param name="time">The clock.</param>
/// <param name="records">SPF records already read this run (shared with the policy walk); null: fetch each.</param>
public sealed class SpfEvaluator(DnsResolver dns, TimeProvider time, SpfRecordCache? records = null)
{
    /// <summary>RFC 7208 section 4.6.4: DNS-querying terms per evaluation.</summary>
    public const int MaxLookups = 10;

    /// <summary>RFC 7208 section 4.6.4: lookups that return no answer or NXDOMAIN.</summary>
    public const int MaxVoidLookups = 2;

    /// <summary>RFC 7208 section 4.6.4: MX names and PTR names looked at per mechanism.</summary>
    public const int MaxNames = 10;

    public async Task<SpfEvaluation> CheckHostAsync(SpfRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var ip = Canonical.Address(request.Ip);
        var helo = request.Helo;

        // RFC 7208 section 2.4: a null reverse-path is checked as postmaster@HELO; section 4.3:
        // a sender without local-part gets "postmaster".
        var sender = request.Sender.Length == 0 ? $"postmaster@{helo}" : request.Sender;
        var at = sender.LastIndexOf('@');
        if (at < 0)
        {
            sender = $"postmaster@{sender}";
        }
        else if (at == 0)
        {
            sender = "postmaster" + sender;
        }

        var domain = sender[(sender.LastIndexOf('@') + 1)..].TrimEnd('.');
        var state = new State(dns, cancellationToken) { Records = records };
        var macros = new SpfMacroContext
        {
            Ip = ip,
            Sender = sender,
            Domain = domain,
            Helo = helo,
            Receiver = request.Receiver ?? "unknown",
            Now = time.GetUtcNow(),
            ValidatedName = ct => ValidatedNameAsync(state, ip, domain, ct),
        };
        var root = new SpfIncludeNode(domain, "root");
        SpfResult result;
        string? explanation = null;
        SpfMatch? match = null;
        SpfAbort? aborted = null;
        try
        {
            // RFC 7208 section 4.3: a malformed or single-label domain gives "none" at once.
            if (!SpfNames.IsValidDomain(domain))
            {
                state.Note(0, domain, $"'{domain}' is not a valid multi-label domain name: none (RFC 7208 section 4.3)");
                result = SpfResult.None;
            }
            else
            {
                (result, explanation, match) = await EvaluateAsync(state, macros, root, 0, []).ConfigureAwait(false);
            }
        }
        catch (SpfAbort abort)
        {
            result = abort.Result;
            aborted = abort;
            state.Note(0, domain, $"{result.Name()}: {abort.Message}");
        }

        root.Result = result.Name();
        return new SpfEvaluation
        {
            Result = result,
            Explanation = explanation,
            Match = aborted is null ? match : null,
            Domain = domain,
            Sender = sender,
            Lookups = state.Lookups,
            VoidLookups = state.Voids,
            Problem = aborted?.Problem ?? SpfProblem.None,
            Reason = aborted?.Message,
            SyntaxError = aborted?.SyntaxError,
            Record = root.Record,
            Trace = state.Trace,
            Tree = root,
        };
    }

    // One check_host() over one domain: returns the result, the explanation for a fail and the
    // mechanism that matched, if one did.
    private static async Task<(SpfResult Result, string? Explanation, SpfMatch? Match)> EvaluateAsync(
        State state, SpfMacroContext macros, SpfIncludeNode node, int depth, IReadOnlyList<string> stack)
    {
        var domain = macros.Domain;
        var fetched = await (state.Records is null
            ? SpfRecordLookup.FetchAsync(state.Dns, domain, state.Cancellation)
            : state.Records.FetchAsync(domain, state.Cancellation)).ConfigureAwait(false);
        state.Query(depth, domain, fetched.Answer);
        if (fetched.Failed)
        {
            // RFC 7208 section 4.4: a DNS error fetching the record is temperror.
            throw new SpfAbort(SpfResult.TempError, SpfProblem.DnsError, $"the SPF record of {domain} could not be fetched: {fetched.Answer.Describe()}");
        }

        if (fetched.Records.Count == 0)
        {
            // RFC 7208 section 4.5: no record (or NXDOMAIN, section 4.3) is "none".
            node.Problem = "no SPF record";
            state.Add(depth, SpfTraceKind.Record, domain, $"{domain}: no SPF record");
            return (SpfResult.None, null, null);
        }

        if (fetched.Records.Count > 1)
        {
            node.Problem = "multiple SPF records";
            node.Record = string.Join(" | ", fetched.Records);
            throw new SpfAbort(SpfResult.PermError, SpfProblem.MultipleRecords, $"{domain} publishes {fetched.Records.Count} SPF records (RFC 7208 section 4.5)");
        }

        var text = fetched.Records[0];
        node.Record = text;
        state.Add(depth, SpfTraceKind.Record, domain, $"{domain}: \"{text}\"");
        if (!SpfParser.TryParse(text, out var record, out var error))
        {
            node.Problem = "syntax error";
            throw new SpfAbort(SpfResult.PermError, SpfProblem.SyntaxError, $"syntax error in the record of {domain}: {error}", error);
        }

        var inner = stack.Append(domain.ToLowerInvariant()).ToList();
        foreach (var mechanism in record!.Mechanisms)
        {
            state.Cancellation.ThrowIfCancellationRequested();
            if (mechanism.QueriesDns)
            {
                state.CountLookup(node, depth, domain, mechanism.Text);
            }

            var matched = await MatchAsync(state, macros, mechanism, node, depth, inner).ConfigureAwait(false);
            if (matched)
            {
                var result = mechanism.Qualifier.ToResult();
                state.Add(depth, SpfTraceKind.Term, domain, $"{mechanism.Text}: match -> {result.Name()}");
                var explanation = result == SpfResult.Fail
                    ? await ExplainAsync(state, macros, record, depth).ConfigureAwait(false)
                    : null;

                // An include matches only when its record passed (section 5.2): the match is the
                // one inside it, reached through this term.
                var match = mechanism.Kind == SpfMechanismKind.Include && state.IncludedMatch is { } included
                    ? included.Through(mechanism.Text)
                    : new SpfMatch(mechanism.Text, domain, []);
                return (result, explanation, match);
            }

            state.Add(depth, SpfTraceKind.Term, domain, $"{mechanism.Text}: no match");
        }

        if (record.RedirectApplies)
        {
            var redirect = record.Redirect!;
            state.CountLookup(node, depth, domain, redirect.Text);
            var target = await TargetAsync(state, macros, redirect.Value).ConfigureAwait(false);
            var child = new SpfIncludeNode(target, $"redirect={target}");
            node.Children.Add(child);
            state.Add(depth, SpfTraceKind.Term, domain, $"{redirect.Text}: following to {target}");
            CheckLoop(inner, target, child);
            if (!SpfNames.IsValidDomain(target))
            {
                child.Problem = "invalid domain";
                throw new SpfAbort(SpfResult.PermError, SpfProblem.IncludedDomainHasNoRecord, $"redirect target '{target}' is not a valid domain name");
            }

            // RFC 7208 section 6.1: the redirected record's result is the result, its exp applies;
            // a target without a record is a permerror.
            var (result, explanation, match) = await EvaluateAsync(state, macros.ForDomain(target), child, depth + 1, inner).ConfigureAwait(false);
            child.Result = result.Name();
            if (result == SpfResult.None)
            {
                child.Problem = "no SPF record";
                throw new SpfAbort(SpfResult.PermError, SpfProblem.IncludedDomainHasNoRecord, $"redirect target {target} has no SPF record (RFC 7208 section 6.1)");
            }

            return (result, explanation, match?.Through(redirect.Text));
        }

        // RFC 7208 section 4.7: nothing matched and no redirect: neutral.
        state.Add(depth, SpfTraceKind.Note, domain, "no mechanism matched: neutral (RFC 7208 section 4.7)");
        return (SpfResult.Neutral, null, null);
    }

    private static async Task<bool> MatchAsync(
        State state, SpfMacroContext macros, SpfMechanism mechanism, SpfIncludeNode node, int depth, IReadOnlyList<string> stack)
    {
        var ip = macros.Ip;
        var v6 = ip.AddressFamily == AddressFamily.InterNetworkV6;
        switch (mechanism.Kind)
        {
            case SpfMechanismKind.All:
                return true;

            case SpfMechanismKind.Ip4 or SpfMechanismKind.Ip6:
                var prefix = mechanism.Kind == SpfMechanismKind.Ip4 ? mechanism.Cidr4 ?? 32 : mechanism.Cidr6 ?? 128;
                return SpfNetwork.Contains(mechanism.Network!, prefix, ip);

            case SpfMechanismKind.Include:
                return await IncludeAsync(state, macros, mechanism, node, depth, stack).ConfigureAwait(false);

            case SpfMechanismKind.A:
                {
                    var target = await TargetAsync(state, macros, mechanism.Domain).ConfigureAwait(false);
                    if (!SpfNames.IsValidDomain(target))
                    {
                        return false;
                    }

                    var answer = await state.AskAsync(depth, macros.Domain, target, v6 ? QueryType.AAAA : QueryType.A, countVoid: true, node).ConfigureAwait(false);
                    return Addresses(answer).Any(a => SpfNetwork.Contains(a, v6 ? mechanism.Cidr6 ?? 128 : mechanism.Cidr4 ?? 32, ip));
                }

            case SpfMechanismKind.Mx:
                return await MxAsync(state, macros, mechanism, node, depth).ConfigureAwait(false);

            case SpfMechanismKind.Ptr:
                {
                    var target = await TargetAsync(state, macros, mechanism.Domain).ConfigureAwait(false);
                    var names = await ValidatedNamesAsync(state, ip, depth, macros.Domain, node, state.Cancellation).ConfigureAwait(false);
                    return names.Any(n => SpfNames.IsAtOrBelow(n, target));
                }

            case SpfMechanismKind.Exists:
                {
                    var target = await TargetAsync(state, macros, mechanism.Domain).ConfigureAwait(false);
                    if (!SpfNames.IsValidDomain(target))
                    {
                        return false;
                    }

                    // RFC 7208 section 5.7: always an A query, whatever the client's address family.
                    var answer = await state.AskAsync(depth, macros.Domain, target, QueryType.A, countVoid: true, node).ConfigureAwait(false);
                    return answer.Outcome == DnsOutcome.Success;
                }

            default:
                return false;
        }
    }

    private static async Task<bool> IncludeAsync(
        State state, SpfMacroContext macros, SpfMechanism mechanism, SpfIncludeNode node, int depth, IReadOnlyList<string> stack)
    {
        var target = await TargetAsync(state, macros, mechanism.Domain).ConfigureAwait(false);
        var child = new SpfIncludeNode(target, $"include:{target}");
        node.Children.Add(child);
        state.Add(depth, SpfTraceKind.Term, macros.Domain, $"{mechanism.Text}: evaluating {target}");
        CheckLoop(stack, target, child);
        if (!SpfNames.IsValidDomain(target))
        {
            child.Problem = "invalid domain";
            throw new SpfAbort(SpfResult.PermError, SpfProblem.IncludedDomainHasNoRecord, $"include target '{target}' is not a valid domain name");
        }

        var (result, _, match) = await EvaluateAsync(state, macros.ForDomain(target), child, depth + 1, stack).ConfigureAwait(false);
        child.Result = result.Name();
        state.IncludedMatch = match;

        // RFC 7208 section 5.2: pass matches; fail, softfail and neutral do not; none is a permerror.
        if (result == SpfResult.None)
        {
            throw new SpfAbort(SpfResult.PermError, SpfProblem.IncludedDomainHasNoRecord, $"include:{target} names a domain without an SPF record (RFC 7208 section 5.2)");
        }

        return result == SpfResult.Pass;
    }

    private static async Task<bool> MxAsync(State state, SpfMacroContext macros, SpfMechanism mechanism, SpfIncludeNode node, int depth)
    {
        var target = await TargetAsync(state, macros, mechanism.Domain).ConfigureAwait(false);
        if (!SpfNames.IsValidDomain(target))
        {
            return false;
        }

        var answer = await state.AskAsync(depth, macros.Domain, target, QueryType.MX, countVoid: true, node).ConfigureAwait(false);
        var hosts = answer.Of<MxRecord>().Select(r => r.Exchange.Value.TrimEnd('.')).Where(h => h.Length > 0).ToList();
        if (hosts.Count > MaxNames)
        {
            // RFC 7208 section 4.6.4: more than 10 MX names is a permerror.
            throw new SpfAbort(SpfResult.PermError, SpfProblem.TooManyMxNames, $"{target} has {hosts.Count} MX records; \"mx\" may look at no more than {MaxNames}");
        }

        var v6 = macros.Ip.AddressFamily == AddressFamily.InterNetworkV6;
        foreach (var host in hosts)
        {
            var addresses = await state.AskAsync(depth, macros.Domain, host, v6 ? QueryType.AAAA : QueryType.A, countVoid: false, node).ConfigureAwait(false);
            if (Addresses(addresses).Any(a => SpfNetwork.Contains(a, v6 ? mechanism.Cidr6 ?? 128 : mechanism.Cidr4 ?? 32, macros.Ip)))
            {
                return true;
            }
        }

        return false;
    }

    // RFC 7208 section 5.5: PTR names of the IP whose A/AAAA contain the IP, at most 10 names.
    private static async Task<IReadOnlyList<string>> ValidatedNamesAsync(
        State state, IPAddress ip, int depth, string domain, SpfIncludeNode? node, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var ptr = await state.AskAsync(depth, domain, ip.GetArpaName(), QueryType.PTR, countVoid: node is not null, node, tolerateErrors: true).ConfigureAwait(false);
        if (!ptr.Answered)
        {
            // Section 5.5: a DNS error on the PTR lookup makes the mechanism not match.
            return [];
        }

        var v6 = ip.AddressFamily == AddressFamily.InterNetworkV6;
        var validated = new List<string>();
        foreach (var name in ptr.Of<PtrRecord>().Select(r => r.PtrDomainName.Value.TrimEnd('.')).Take(MaxNames))
        {
            if (!SpfNames.IsValidDomain(name))
            {
                continue;
            }

            var addresses = await state.AskAsync(depth, domain, name, v6 ? QueryType.AAAA : QueryType.A, countVoid: false, null, tolerateErrors: true).ConfigureAwait(false);
            if (Addresses(addresses).Any(a => a.Equals(ip)))
            {
                validated.Add(name);
            }
        }

        return validated;
    }

    // %{p} (RFC 7208 section 7.2): prefer the domain itself, then a subdomain of it, then any validated name.
    private static async Task<string> ValidatedNameAsync(State state, IPAddress ip, string domain, CancellationToken cancellationToken)
    {
        var names = await ValidatedNamesAsync(state, ip, 0, domain, null, cancellationToken).ConfigureAwait(false);
        return names.FirstOrDefault(n => SpfNames.SameName(n, domain))
            ?? names.FirstOrDefault(n => SpfNames.IsAtOrBelow(n, domain))
            ?? names.FirstOrDefault()
            ?? "unknown";
    }

    // RFC 7208 section 6.2: the explanation of a fail; any problem means no explanation, never an error.
    private static async Task<string?> ExplainAsync(State state, SpfMacroContext macros, SpfRecord record, int depth)
    {
        if (record.Explanation is not { } exp)
        {
            return null;
        }

        try
        {
            var target = await TargetAsync(state, macros, exp.Value).ConfigureAwait(false);
            if (!SpfNames.IsValidDomain(target))
            {
                state.Note(depth, macros.Domain, $"exp: '{target}' is not a valid domain: no explanation");
                return null;
            }

            var answer = await state.Dns.GetTxtAsync(target, state.Cancellation).ConfigureAwait(false);
            state.Query(depth, macros.Domain, answer);
            var texts = answer.Outcome == DnsOutcome.Success ? answer.TxtRecords() : [];
            if (texts.Count != 1)
            {
                state.Note(depth, macros.Domain, $"exp: {target} gives {texts.Count} TXT records, not one: no explanation");
                return null;
            }

            if (!SpfMacroString.TryParse(texts[0], explanation: true, out var text, out var error, out _))
            {
                state.Note(depth, macros.Domain, $"exp: the text at {target} is not a valid macro-string ({error}): no explanation");
                return null;
            }

            var expanded = await text!.ExpandAsync(macros, state.Cancellation).ConfigureAwait(false);
            state.Note(depth, macros.Domain, $"exp: \"{expanded}\"");
            return expanded;
        }
        catch (SpfAbort)
        {
            return null;
        }
    }

    private static async Task<string> TargetAsync(State state, SpfMacroContext macros, SpfMacroString? spec) =>
        spec is null ? macros.Domain : SpfNames.Truncate(await spec.ExpandAsync(macros, state.Cancellation).ConfigureAwait(false));

    private static void CheckLoop(IReadOnlyList<string> stack, string target, SpfIncludeNode child)
    {
        if (stack.Contains(target.TrimEnd('.').ToLowerInvariant()))
        {
            // The same domain again with the same inputs would only repeat itself until the
            // lookup limit (RFC 7208 section 4.6.4): report the loop itself.
            child.Problem = "loop";
            throw new SpfAbort(SpfResult.PermError, SpfProblem.IncludeLoop, $"{target} includes itself through {string.Join(" -> ", stack)} -> {target}");
        }
    }

    private static IEnumerable<IPAddress> Addresses(DnsAnswer answer) =>
        answer.Of<ARecord>().Select(r => r.Address).Concat(answer.Of<AaaaRecord>().Select(r => r.Address));

    /// <summary>Mutable state of one top-level evaluation, shared by its includes and redirects.</summary>
    private sealed class State(DnsResolver dns, CancellationToken cancellation)
    {
        public DnsResolver Dns { get; } = dns;

        public SpfRecordCache? Records { get; init; }

        public CancellationToken Cancellation { get; } = cancellation;

        public List<SpfTraceEntry> Trace { get; } = [];

        public int Lookups { get; private set; }

        public int Voids { get; private set; }

        /// <summary>What matched inside the include evaluated last, for the include term that names it.</summary>
        public SpfMatch? IncludedMatch { get; set; }

        public void Add(int depth, SpfTraceKind kind, string domain, string text) => Trace.Add(new SpfTraceEntry(depth, kind, domain, text, Lookups));

        public void Note(int depth, string domain, string text) => Add(depth, SpfTraceKind.Note, domain, text);

        public void Query(int depth, string domain, DnsAnswer answer) => Add(depth, SpfTraceKind.Query, domain, DescribeAnswer(answer));

        public void CountLookup(SpfIncludeNode node, int depth, string domain, string term)
        {
            Lookups++;
            node.Lookups++;
            if (Lookups > MaxLookups)
            {
                throw new SpfAbort(SpfResult.PermError, SpfProblem.TooManyLookups,
                    $"'{term}' in the record of {domain} is DNS-querying term number {Lookups}; at most {MaxLookups} are allowed (RFC 7208 section 4.6.4)");
            }
        }

        public async Task<DnsAnswer> AskAsync(
            int depth, string domain, string name, QueryType type, bool countVoid, SpfIncludeNode? node, bool tolerateErrors = false)
        {
            var answer = await Dns.QueryAsync(name, type, Cancellation).ConfigureAwait(false);
            Query(depth, domain, answer);
            if (!answer.Answered && !tolerateErrors)
            {
                // RFC 7208 section 5: a DNS error other than NXDOMAIN stops evaluation with temperror.
                throw new SpfAbort(SpfResult.TempError, SpfProblem.DnsError, $"DNS lookup failed: {answer.Describe()}");
            }

            if (countVoid && answer.IsEmpty)
            {
                Voids++;
                if (node is not null)
                {
                    node.VoidLookups++;
                }

                if (Voids > MaxVoidLookups)
                {
                    throw new SpfAbort(SpfResult.PermError, SpfProblem.TooManyVoidLookups,
                        $"{type} {name} is void lookup number {Voids}; at most {MaxVoidLookups} are allowed (RFC 7208 section 4.6.4)");
                }
            }

            return answer;
        }

        private static string DescribeAnswer(DnsAnswer answer)
        {
            if (answer.Outcome != DnsOutcome.Success)
            {
                return answer.Describe();
            }

            var values = answer.Records.Select(r => r switch
            {
                ARecord a => a.Address.ToString(),
                AaaaRecord a => a.Address.ToString(),
                MxRecord m => $"{m.Preference} {m.Exchange.Value}",
                PtrRecord p => p.PtrDomainName.Value,
                TxtRecord t => "\"" + string.Concat(t.Text) + "\"",
                _ => r.ToString(),
            });
            return $"{answer.Type} {answer.Name}: {string.Join(", ", values)}";
        }
    }

    /// <summary>Ends an evaluation with permerror or temperror from any depth (RFC 7208 section 4.6).</summary>
    private sealed class SpfAbort(SpfResult result, SpfProblem problem, string message, SpfSyntaxError? syntaxError = null)
        : Exception(message)
    {
        public SpfResult Result { get; } = result;

        public SpfProblem Problem { get; } = problem;

        public SpfSyntaxError? SyntaxError { get; } = syntaxError;
    }
}
