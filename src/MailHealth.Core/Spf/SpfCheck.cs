using System.Net;
using MailHealth.Checks;
using MailHealth.Dns;
using MailHealth.Targets;

namespace MailHealth.Spf;

/// <summary>
/// The <c>spf</c> check: the domain's record, its whole include tree (lookup costs, loops, void
/// lookups, syntax anywhere), its "all", and check_host() for every sending IP (the target's, else
/// the mail hosts' addresses).
/// </summary>
public sealed class SpfCheck : ICheck
{
    public const string CheckKind = CheckKinds.Spf;

    public string Kind => CheckKind;

    public async Task<IReadOnlyList<CheckResult>> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var domain = context.Target.Domain;
        var result = context.Result(CheckKind, CheckKind, domain);
        // Read once, judged twice: the walk and every per-IP evaluation see the same records.
        var records = new SpfRecordCache(context.Dns);
        var fetched = await records.FetchAsync(domain, cancellationToken).ConfigureAwait(false);
        result.Evidence("query", fetched.Answer.Describe());
        if (fetched.Failed)
        {
            TempError(result, fetched.Answer, $"the SPF record of {domain} could not be fetched: {fetched.Answer.Describe()}", domain);
            return [result.Build()];
        }

        if (fetched.Records.Count == 0)
        {
            result.Add(SpfFindingCodes.Missing, Severity.Warning,
                $"{domain} publishes no SPF record (no TXT record starting with \"v=spf1\"): receivers cannot tell its senders from forgers");
            return [result.Build()];
        }

        if (fetched.Records.Count > 1)
        {
            result.Evidence("records", fetched.Records);
            result.Add(SpfFindingCodes.MultipleRecords, Severity.Critical,
                $"{domain} publishes {fetched.Records.Count} SPF records; RFC 7208 section 4.5 makes that a permerror: merge them into one",
                new Dictionary<string, object?> { ["records"] = fetched.Records });
            return [result.Build()];
        }

        var text = fetched.Records[0];
        result.Evidence("record", text);
        if (!SpfParser.TryParse(text, out var record, out var error))
        {
            result.Add(SpfFindingCodes.SyntaxError, Severity.Critical,
                $"the SPF record of {domain} has a syntax error: {error} (permerror)",
                new Dictionary<string, object?> { ["record"] = text, ["term"] = error!.Term, ["position"] = error.Position, ["error"] = error.Message });
            return [result.Build()];
        }

        result.Evidence("parsed", record!.Describe());
        // A finding per cause: the same code for another subject or another cause is kept.
        var raised = new HashSet<(string Code, string Subject, string Message)>();
        var walk = await new SpfPolicyWalker(context.Dns, records).WalkAsync(domain, record, cancellationToken).ConfigureAwait(false);
        ReportAll(result, raised, domain, record);
        ReportWalk(result, raised, domain, walk);
        await EvaluateSendersAsync(context, result, raised, domain, records, cancellationToken).ConfigureAwait(false);
        return [result.Build()];
    }

    private static void ReportWalk(CheckResultBuilder result, HashSet<(string, string, string)> raised, string domain, SpfPolicyWalk walk)
    {
        result.Evidence("includeTree", walk.Tree.Describe());
        result.Metric("lookups", walk.Lookups);
        result.Metric("voidLookups", walk.VoidLookups);
        if (walk.Lookups > SpfEvaluator.MaxLookups)
        {
            var branches = string.Join("; ", walk.Tree.Children.Select(c => $"{c.Via} {c.TotalLookups}"));
            Raise(result, raised, SpfFindingCodes.TooManyLookups, Severity.Critical, domain,
                $"the SPF policy of {domain} needs {walk.Lookups} DNS-querying terms, more than the {SpfEvaluator.MaxLookups} RFC 7208 section 4.6.4 allows: receivers may answer permerror (own terms {walk.Tree.Lookups}; {branches})",
                new Dictionary<string, object?> { ["lookups"] = walk.Lookups, ["includeTree"] = walk.Tree.Describe(), ["branches"] = walk.Tree.Lines().ToList() });
        }

        if (walk.VoidLookups > SpfEvaluator.MaxVoidLookups)
        {
            Raise(result, raised, SpfFindingCodes.TooManyVoidLookups, Severity.Critical, domain,
                $"the SPF policy of {domain} makes {walk.VoidLookups} void lookups (names with no address or MX), more than the {SpfEvaluator.MaxVoidLookups} RFC 7208 section 4.6.4 allows: permerror",
                new Dictionary<string, object?> { ["voidLookups"] = walk.VoidLookups, ["includeTree"] = walk.Tree.Describe() });
        }

        foreach (var issue in walk.Issues)
        {
            if (issue.Code == SpfFindingCodes.TempError)
            {
                TempError(result, issue.FailedAnswer!, issue.Message, issue.Domain);
                continue;
            }

            var severity = issue.Code is SpfFindingCodes.PtrMechanism or SpfFindingCodes.NeutralAll ? Severity.Warning : Severity.Critical;
            Raise(result, raised, issue.Code, severity, issue.Domain, issue.Message, null);
        }
    }

    // The policy's last word for everyone else: "+all" authorizes the whole Internet.
    private static void ReportAll(CheckResultBuilder result, HashSet<(string, string, string)> raised, string domain, SpfRecord record)
    {
        var all = record.Mechanisms.FirstOrDefault(m => m.Kind == SpfMechanismKind.All);
        if (all?.Qualifier == SpfQualifier.Pass)
        {
            Raise(result, raised, SpfFindingCodes.PermissiveAll, Severity.Critical, domain,
                $"the SPF record of {domain} ends in '{all.Text}': every host on the Internet passes SPF for {domain}; use '-all' or '~all'",
                new Dictionary<string, object?> { ["term"] = all.Text, ["position"] = all.Position });
        }
        else if (all?.Qualifier == SpfQualifier.Neutral)
        {
            Raise(result, raised, SpfFindingCodes.NeutralAll, Severity.Warning, domain,
                $"the SPF record of {domain} ends in '{all.Text}': unlisted hosts get neutral, which protects nothing; use '-all' or '~all'",
                new Dictionary<string, object?> { ["term"] = all.Text, ["position"] = all.Position });
        }
    }

    private static async Task EvaluateSendersAsync(
        CheckContext context, CheckResultBuilder result, HashSet<(string, string, string)> raised, string domain, SpfRecordCache records, CancellationToken cancellationToken)
    {
        var senders = new List<(IPAddress Ip, string Helo)>();
        if (context.Target.SendingIps.Count > 0)
        {
            senders.AddRange(context.Target.SendingIps.Select(ip => (ip, domain)));
        }
        else
        {
            var hosts = await context.MailHosts.ConfigureAwait(false);
            senders.AddRange(hosts.Hosts.SelectMany(h => h.Addresses.Select(a => (a, h.Name))));
        }

        var evaluator = new SpfEvaluator(context.Dns, context.Time, records);
        var perIp = new List<object>();
        // ::ffff:a.b.c.d is a.b.c.d to SPF (RFC 7208 section 5.6): evaluate it once.
        foreach (var (ip, helo) in senders.Select(s => (Ip: Canonical.Address(s.Ip), s.Helo)).DistinctBy(s => s.Ip))
        {
            // The sender is the domain's postmaster: the check is about the domain's policy.
            var evaluation = await evaluator.CheckHostAsync(new SpfRequest(ip, $"postmaster@{domain}", helo), cancellationToken).ConfigureAwait(false);
            var subject = ip.ToString();
            perIp.Add(new
            {
                ip = subject,
                helo,
                result = evaluation.Result.Name(),
                explanation = evaluation.Explanation,
                lookups = evaluation.Lookups,
                reason = evaluation.Reason,
            });
            if (evaluation.Result == SpfResult.TempError)
            {
                TempError(result, null, $"check_host() for {subject} ended in temperror: {evaluation.Reason}", subject);
                continue;
            }

            ReportProblem(result, raised, domain, evaluation);
            if (evaluation.Result != SpfResult.Pass)
            {
                Raise(result, raised, SpfFindingCodes.SenderNotAuthorized, Severity.Critical, subject,
                    $"sending IP {subject} gets SPF {evaluation.Result.Name()} for {domain}, not pass{(evaluation.Reason is null ? "" : $" ({evaluation.Reason})")}: receivers may reject or junk its mail",
                    new Dictionary<string, object?>
                    {
                        ["ip"] = subject,
                        ["result"] = evaluation.Result.Name(),
                        ["explanation"] = evaluation.Explanation,
                        ["lookups"] = evaluation.Lookups,
                        ["trace"] = evaluation.Trace.Select(t => $"{new string(' ', t.Depth * 2)}{t.Text}").ToList(),
                    });
            }
        }

        result.Evidence("senders", perIp);
        result.Metric("sendersChecked", perIp.Count);
    }

    // A permerror that the walk could not see (it depends on the connection): name its cause too.
    private static void ReportProblem(CheckResultBuilder result, HashSet<(string, string, string)> raised, string domain, SpfEvaluation evaluation)
    {
        var code = evaluation.Problem switch
        {
            SpfProblem.TooManyLookups => SpfFindingCodes.TooManyLookups,
            SpfProblem.TooManyVoidLookups => SpfFindingCodes.TooManyVoidLookups,
            SpfProblem.TooManyMxNames => SpfFindingCodes.TooManyMxNames,
            SpfProblem.IncludeLoop => SpfFindingCodes.IncludeLoop,
            SpfProblem.SyntaxError => SpfFindingCodes.SyntaxError,
            SpfProblem.MultipleRecords => SpfFindingCodes.MultipleRecords,
            SpfProblem.IncludedDomainHasNoRecord => SpfFindingCodes.IncludeNoRecord,
            _ => null,
        };
        if (code is not null && !raised.Any(r => r.Item1 == code))
        {
            Raise(result, raised, code, Severity.Critical, domain, $"check_host() ends in permerror: {evaluation.Reason}",
                new Dictionary<string, object?> { ["lookups"] = evaluation.Lookups, ["includeTree"] = evaluation.Tree.Describe() });
        }
    }

    private static void TempError(CheckResultBuilder result, DnsAnswer? answer, string message, string subject)
    {
        if (answer?.FailureCode is { } dnsCode)
        {
            result.Add(dnsCode, Severity.Warning, $"DNS lookup failed: {answer.Describe()}{answer.FailureHint}", subject: subject);
        }

        result.Add(SpfFindingCodes.TempError, Severity.Warning, message, subject: subject).MarkError(message);
    }

    private static void Raise(
        CheckResultBuilder result, HashSet<(string, string, string)> raised, string code, Severity severity, string subject, string message, IReadOnlyDictionary<string, object?>? evidence)
    {
        if (raised.Add((code, subject, message)))
        {
            result.Add(code, severity, message, evidence, subject);
        }
    }
}
