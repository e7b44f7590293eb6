using DnsClient;
using MailHealth.Dns;

namespace MailHealth.Spf;

/// <summary>
/// Walks a domain's policy without a connection in mind: every include and the redirect are
/// followed, whatever an evaluation for one IP would reach, so the counts are the worst case any
/// sender meets. DNS-querying terms are counted per record (RFC 7208 section 4.6.4), names
/// without macros are looked up to find void lookups, and include/redirect loops, records
/// without SPF and syntax errors anywhere in the tree are reported.
/// </summary>
/// <param name="dns">Where to ask.</param>
/// <param name="records">SPF records already read this run (shared with the evaluations); null: fetch each.</param>
public sealed class SpfPolicyWalker(DnsResolver dns, SpfRecordCache? records = null)
{
    /// <summary>Records visited at most, so that a hostile tree cannot make the walk endless.</summary>
    public const int MaxRecords = 60;

    public async Task<SpfPolicyWalk> WalkAsync(string domain, SpfRecord record, CancellationToken cancellationToken)
    {
        var state = new State();
        var root = new SpfIncludeNode(domain, "root") { Record = record.Text };
        await WalkRecordAsync(state, root, domain, record, [domain.ToLowerInvariant()], decides: true, cancellationToken).ConfigureAwait(false);
        return new SpfPolicyWalk(root, root.TotalLookups, state.Voids, state.Issues);
    }

    // decides: this record's result is the policy's result (the root, and redirects from a record
    // that decides); inside an include only a pass counts (RFC 7208 section 5.2).
    private async Task WalkRecordAsync(
        State state, SpfIncludeNode node, string domain, SpfRecord record, IReadOnlyList<string> path, bool decides, CancellationToken cancellationToken)
    {
        state.Records++;
        if (path.Count > 1)
        {
            CheckAll(state, node, record, path, decides);
        }

        foreach (var mechanism in record.ReachableMechanisms)
        {
            if (mechanism.QueriesDns)
            {
                node.Lookups++;
            }

            switch (mechanism.Kind)
            {
                case SpfMechanismKind.Include:
                    await FollowAsync(state, node, domain, mechanism.Domain!, "include:", path, decides: false, cancellationToken).ConfigureAwait(false);
                    break;
                case SpfMechanismKind.Ptr:
                    // RFC 7208 section 5.5: "This mechanism SHOULD NOT be published."
                    state.Issues.Add(new SpfLintIssue(SpfFindingCodes.PtrMechanism, domain,
                        $"the record of {domain} uses '{mechanism.Text}': slow, unreliable, and RFC 7208 section 5.5 says it SHOULD NOT be used"));
                    break;
                case SpfMechanismKind.A:
                    _ = await CheckVoidAsync(state, node, domain, mechanism, [QueryType.A, QueryType.AAAA], cancellationToken).ConfigureAwait(false);
                    break;
                case SpfMechanismKind.Mx:
                    var mx = await CheckVoidAsync(state, node, domain, mechanism, [QueryType.MX], cancellationToken).ConfigureAwait(false);
                    CheckMxNames(state, domain, mechanism, mx);
                    break;
                case SpfMechanismKind.Exists:
                    _ = await CheckVoidAsync(state, node, domain, mechanism, [QueryType.A], cancellationToken).ConfigureAwait(false);
                    break;
            }
        }

        if (record.RedirectApplies)
        {
            node.Lookups++;
            await FollowAsync(state, node, domain, record.Redirect!.Value, "redirect=", path, decides, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task FollowAsync(
        State state, SpfIncludeNode node, string domain, SpfMacroString spec, string via, IReadOnlyList<string> path, bool decides, CancellationToken cancellationToken)
    {
        if (spec.HasMacros)
        {
            // The target depends on the connection: only an evaluation can follow it.
            node.Children.Add(new SpfIncludeNode(spec.Text, via + spec.Text) { Problem = "target has macros: not followed" });
            return;
        }

        var target = SpfNames.Truncate(spec.Text);
        var child = new SpfIncludeNode(target, via + target);
        node.Children.Add(child);
        var key = target.ToLowerInvariant();
        if (path.Contains(key))
        {
            child.Problem = "loop";
            state.Issues.Add(new SpfLintIssue(SpfFindingCodes.IncludeLoop, domain,
                $"'{via}{target}' in the record of {domain} loops back: {string.Join(" -> ", path)} -> {target} (permerror)"));
            return;
        }

        if (state.Records >= MaxRecords)
        {
            child.Problem = "not followed: too many records in the tree";
            return;
        }

        var fetched = await (records is null
            ? SpfRecordLookup.FetchAsync(dns, target, cancellationToken)
            : records.FetchAsync(target, cancellationToken)).ConfigureAwait(false);
        if (fetched.Failed)
        {
            child.Problem = fetched.Answer.Describe();
            state.Issues.Add(new SpfLintIssue(SpfFindingCodes.TempError, target,
                $"the SPF record of {target} ({via}{target} in {domain}) could not be fetched: {fetched.Answer.Describe()}", fetched.Answer));
            return;
        }

        if (fetched.Records.Count == 0)
        {
            child.Problem = "no SPF record";
            state.Issues.Add(new SpfLintIssue(SpfFindingCodes.IncludeNoRecord, domain,
                $"'{via}{target}' in the record of {domain} names a domain without an SPF record (permerror, RFC 7208 sections 5.2 and 6.1)"));
            return;
        }

        if (fetched.Records.Count > 1)
        {
            child.Problem = "multiple SPF records";
            child.Record = string.Join(" | ", fetched.Records);
            state.Issues.Add(new SpfLintIssue(SpfFindingCodes.MultipleRecords, target,
                $"{target} ({via}{target} in {domain}) publishes {fetched.Records.Count} SPF records (permerror, RFC 7208 section 4.5)"));
            return;
        }

        child.Record = fetched.Records[0];
        if (!SpfParser.TryParse(fetched.Records[0], out var record, out var error))
        {
            child.Problem = "syntax error";
            state.Issues.Add(new SpfLintIssue(SpfFindingCodes.SyntaxError, target,
                $"the record of {target} ({via}{target} in {domain}) has a syntax error: {error} (permerror)"));
            return;
        }

        await WalkRecordAsync(state, child, target, record!, [.. path, key], decides, cancellationToken).ConfigureAwait(false);
    }

    // The "all" of a record reached through include or redirect: "+all" in an include passes
    // everyone (the include matches); "?all" matters only where the record decides the result.
    private static void CheckAll(State state, SpfIncludeNode node, SpfRecord record, IReadOnlyList<string> path, bool decides)
    {
        var all = record.ReachableMechanisms.FirstOrDefault(m => m.Kind == SpfMechanismKind.All);
        var root = path[0];
        var chain = string.Join(" -> ", path);
        if (all?.Qualifier == SpfQualifier.Pass)
        {
            state.Issues.Add(new SpfLintIssue(SpfFindingCodes.PermissiveAll, root,
                $"'{all.Text}' in the record of {node.Domain}, reached through {node.Via} ({chain}): every host on the Internet passes SPF for {root}"));
        }
        else if (all?.Qualifier == SpfQualifier.Neutral && decides)
        {
            state.Issues.Add(new SpfLintIssue(SpfFindingCodes.NeutralAll, root,
                $"'{all.Text}' in the record of {node.Domain}, reached through {node.Via} ({chain}), decides {root}'s result: unlisted hosts get neutral, which protects nothing"));
        }
    }

    // RFC 7208 section 4.6.4: an "mx" whose name has more than 10 MX records is a permerror.
    private static void CheckMxNames(State state, string domain, SpfMechanism mechanism, IReadOnlyList<DnsAnswer> answers)
    {
        var names = answers.Sum(a => a.Of<DnsClient.Protocol.MxRecord>().Count());
        if (names > SpfEvaluator.MaxNames)
        {
            state.Issues.Add(new SpfLintIssue(SpfFindingCodes.TooManyMxNames, domain,
                $"'{mechanism.Text}' in the record of {domain} names {names} MX hosts; \"mx\" may look at no more than {SpfEvaluator.MaxNames} (permerror, RFC 7208 section 4.6.4)"));
        }
    }

    private async Task<IReadOnlyList<DnsAnswer>> CheckVoidAsync(
        State state, SpfIncludeNode node, string domain, SpfMechanism mechanism, QueryType[] types, CancellationToken cancellationToken)
    {
        if (mechanism.Domain is { HasMacros: true })
        {
            return [];
        }

        var target = mechanism.Domain is null ? domain : SpfNames.Truncate(mechanism.Domain.Text);
        var answers = await Task.WhenAll(types.Select(t => dns.QueryAsync(target, t, cancellationToken))).ConfigureAwait(false);
        // Void for every sender only: an "a" naming an IPv4-only host is void for IPv6 senders,
        // but flagging every such domain would be noise where no mail leaves over IPv6. The
        // per-IP evaluations (SPF_SENDER_NOT_AUTHORIZED) catch it for the senders that exist.
        if (answers.All(a => a.IsEmpty))
        {
            state.Voids++;
            node.VoidLookups++;
        }

        return answers;
    }

    private sealed class State
    {
        public List<SpfLintIssue> Issues { get; } = [];

        public int Voids { get; set; }

        public int Records { get; set; }
    }
}
