using MailHealth.Checks;
using MailHealth.Dns;
using MailHealth.Targets;

namespace MailHealth.Dmarc;

/// <summary>
/// The <c>dmarc</c> check (RFC 9989): finds the record by the DNS tree walk, works out the policy
/// for the domain, its existing and its non-existent subdomains, validates every tag, and verifies
/// that external report destinations accept the domain's reports.
/// </summary>
public sealed class DmarcCheck : ICheck
{
    public const string KindName = CheckKinds.Dmarc;

    public string Kind => KindName;

    public async Task<IReadOnlyList<CheckResult>> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var domain = Canonical.Name(context.Target.Domain);
        var result = context.Result(KindName, KindName, domain);
        var discovery = await DmarcTreeWalk.WalkAsync(context.Dns, domain, cancellationToken).ConfigureAwait(false);
        result.Evidence("queries", discovery.Steps.Select(s => s.ToEvidence()).ToList());
        result.Metric("dnsQueries", discovery.QueryCount);

        if (discovery.Failure is { } failure)
        {
            result.AddLookupFailure(failure, "the DMARC record lookup failed");
            return [result.Build()];
        }

        ReportDiscardedRecords(result, discovery);
        ReportUnanswered(result, discovery);

        var own = discovery.ForDomain();
        var subdomains = discovery.ForSubdomains("sp");
        var nonExistent = discovery.ForSubdomains("np");
        result.Evidence("policy", new Dictionary<string, object?>
        {
            ["domain"] = own.ToEvidence(),
            ["subdomains"] = subdomains.ToEvidence(),
            ["nonExistentSubdomains"] = nonExistent.ToEvidence(),
        });
        result.Evidence("organizationalDomain", discovery.OrganizationalDomain);

        if (own.Record is not { } record || own.PolicyDomain is not { } policyDomain)
        {
            result.Add(DmarcFindingCodes.Missing, Severity.Warning,
                $"no DMARC record for {domain}: looked at {string.Join(", ", discovery.Steps.Select(s => DmarcTreeWalk.RecordName(s.Domain)))}");
            return [result.Build()];
        }

        result.Evidence("record", record.Text);
        result.Evidence("recordAt", DmarcTreeWalk.RecordName(policyDomain));
        result.Evidence("inherited", policyDomain != domain);
        result.Evidence("tags", record.ToEvidence());
        if ((record.Tags.Contains("sp") || record.Tags.Contains("np")) && subdomains.PolicyDomain != policyDomain)
        {
            // RFC 9989 section 4.7 (sp): ignored on records below the Organizational Domain.
            result.Evidence("note", $"sp/np of _dmarc.{policyDomain} are ignored: its subdomains take their policy from "
                + (subdomains.PolicyDomain is null ? "no record" : $"_dmarc.{subdomains.PolicyDomain}"));
        }

        ReportSyntax(result, own, subdomains);
        ReportPolicy(result, own, subdomains, nonExistent);
        ReportTags(result, record, policyDomain);

        var authority = record.Psd == 'y' ? policyDomain : discovery.OrganizationalDomain;
        await VerifyDestinationsAsync(context, result, record, policyDomain, authority, cancellationToken).ConfigureAwait(false);
        return [result.Build()];
    }

    private static void ReportUnanswered(CheckResultBuilder result, DmarcDiscovery discovery)
    {
        foreach (var step in discovery.Unanswered)
        {
            result.AddIncompleteLookup(step.Answer,
                $"a record at {DmarcTreeWalk.RecordName(step.Domain)} could change the organizational domain of {discovery.Domain} "
                + "or add a public suffix (psd=y) policy; the verdict rests on the names that answered");
        }
    }

    private static void ReportDiscardedRecords(CheckResultBuilder result, DmarcDiscovery discovery)
    {
        foreach (var step in discovery.Steps.Where(s => s.HasMultipleRecords))
        {
            // RFC 9989 section 4.10 step 2: several records at one name are all discarded.
            result.Add(DmarcFindingCodes.MultipleRecords, Severity.Critical,
                $"{step.PolicyRecords.Count} DMARC records at {DmarcTreeWalk.RecordName(step.Domain)}: receivers discard all of them",
                new Dictionary<string, object?> { ["name"] = DmarcTreeWalk.RecordName(step.Domain), ["records"] = step.PolicyRecords.Select(r => r.Text).ToList() });
        }

        foreach (var step in discovery.Steps)
        {
            foreach (var nearMiss in step.NearMisses)
            {
                result.Add(DmarcFindingCodes.SyntaxError, Severity.Critical,
                    $"the TXT record at {DmarcTreeWalk.RecordName(step.Domain)} is not a valid DMARC record and is ignored: {string.Join("; ", nearMiss.Problems)}",
                    new Dictionary<string, object?> { ["name"] = DmarcTreeWalk.RecordName(step.Domain), ["record"] = nearMiss.Text, ["problems"] = nearMiss.Problems });
            }
        }
    }

    private static void ReportSyntax(CheckResultBuilder result, DmarcEffectivePolicy own, DmarcEffectivePolicy subdomains)
    {
        var records = new[] { own, subdomains }
            .Where(p => p.Record is not null)
            .DistinctBy(p => p.PolicyDomain)
            .ToList();
        foreach (var policy in records)
        {
            var record = policy.Record!;
            var problems = record.Problems.ToList();
            if (policy.Policy is null && record.Tags["p"] is null)
            {
                problems.Add("no p= tag, and rua has no valid URI");
            }

            if (problems.Count > 0)
            {
                var consequence = policy.Policy is null ? " Receivers apply no DMARC processing." : "";
                result.Add(DmarcFindingCodes.SyntaxError, Severity.Critical,
                    $"the DMARC record at {DmarcTreeWalk.RecordName(policy.PolicyDomain!)} has errors: {string.Join("; ", problems)}.{consequence}",
                    new Dictionary<string, object?> { ["name"] = DmarcTreeWalk.RecordName(policy.PolicyDomain!), ["record"] = record.Text, ["problems"] = problems });
            }
        }
    }

    private static void ReportPolicy(CheckResultBuilder result, DmarcEffectivePolicy own, DmarcEffectivePolicy subdomains, DmarcEffectivePolicy nonExistent)
    {
        if (own.Policy == DmarcPolicy.None)
        {
            result.Add(DmarcFindingCodes.PolicyNone, Severity.Warning,
                $"the DMARC policy for {own.Subject} is none ({own.Explanation}): failing mail is delivered as usual");
        }

        if (own.Policy is not { } policy)
        {
            return;
        }

        var weaker = new[] { (Who: "existing subdomains", Policy: subdomains), (Who: "non-existent subdomains", Policy: nonExistent) }
            .Where(s => s.Policy.Policy is { } p && p < policy)
            .Select(s => $"{s.Who}: {DmarcRecord.Name(s.Policy.Policy!.Value)} ({s.Policy.Explanation})")
            .ToList();
        if (weaker.Count > 0)
        {
            result.Add(DmarcFindingCodes.SubdomainPolicyWeaker, Severity.Info,
                $"subdomains of {own.Subject} get a weaker policy than its {DmarcRecord.Name(policy)}: {string.Join("; ", weaker)}");
        }
    }

    private static void ReportTags(CheckResultBuilder result, DmarcRecord record, string policyDomain)
    {
        var name = DmarcTreeWalk.RecordName(policyDomain);
        if (record.HistoricTags.Count > 0)
        {
            var tags = string.Join(", ", record.HistoricTags.Select(t => $"{t}={record.Tags[t]}"));
            result.Add(DmarcFindingCodes.HistoricTag, Severity.Info,
                $"the DMARC record at {name} uses tags that RFC 9989 made historic ({tags}); receivers ignore them (pct below 100 no longer has effect)");
        }

        if (record.Testing)
        {
            result.Add(DmarcFindingCodes.TestingMode, Severity.Info,
                $"the DMARC record at {name} is in testing mode (t=y): receivers apply one level weaker policy");
        }

        if (!record.HasValidAggregateUri)
        {
            result.Add(DmarcFindingCodes.NoAggregateReports, Severity.Info,
                $"the DMARC record at {name} has no valid rua: nobody receives aggregate reports about this domain's mail");
        }
    }

    /// <summary>
    /// Whether reports to <paramref name="host"/> leave the Organizational Domain <paramref name="authority"/>.
    /// A host outside it is external for certain; one below it is external when its own tree walk
    /// finds another Organizational Domain (a psd=n record in between, RFC 9989 section 4.10.2).
    /// </summary>
    private static async Task<bool> IsExternalAsync(
        CheckContext context, CheckResultBuilder result, string host, string authority, CancellationToken cancellationToken)
    {
        if (!DmarcReportAuthorization.IsInternal(host, authority))
        {
            return true;
        }

        if (host.Equals(authority, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var walk = await DmarcTreeWalk.WalkAsync(context.Dns, Canonical.Name(host), cancellationToken).ConfigureAwait(false);
        if (walk.Failure is { } failure)
        {
            result.AddIncompleteLookup(failure, $"the Organizational Domain of the report host {host} is unknown; it is taken as {authority}'s", host);
            return false;
        }

        return !walk.OrganizationalDomain.Equals(authority, StringComparison.OrdinalIgnoreCase);
    }

    private static async Task VerifyDestinationsAsync(
        CheckContext context, CheckResultBuilder result, DmarcRecord record, string policyDomain, string authority, CancellationToken cancellationToken)
    {
        var candidates = record.AggregateUris.Concat(record.FailureUris)
            .Where(u => u.IsValid)
            .Select(u => u.Host!)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        var hosts = new List<string>();
        foreach (var host in candidates)
        {
            if (await IsExternalAsync(context, result, host, authority, cancellationToken).ConfigureAwait(false))
            {
                hosts.Add(host);
            }
        }

        if (hosts.Count == 0)
        {
            return;
        }

        var checks = hosts.Select(h => DmarcReportAuthorization.VerifyAsync(context.Dns, policyDomain, h, cancellationToken));
        var destinations = await Task.WhenAll(checks).ConfigureAwait(false);
        result.Evidence("externalDestinations", destinations.Select(d => d.ToEvidence()).ToList());
        foreach (var destination in destinations)
        {
            // Another domain's name: unknown here says nothing about this domain's record.
            if (destination.Authorized is null && destination.Answer is { } answer
                && result.AddIncompleteLookup(answer, $"whether {destination.Host} accepts the reports of {policyDomain} is unknown", destination.Host))
            {
                continue;
            }

            if (destination.Authorized == false)
            {
                var uris = record.AggregateUris.Concat(record.FailureUris).Where(u => u.Host == destination.Host).Select(u => u.Text);
                result.Add(DmarcFindingCodes.ReportDestinationUnauthorized, Severity.Warning,
                    $"reports for {policyDomain} go to {string.Join(", ", uris)}, but {destination.Host} has not authorized them ({destination.Explanation}); receivers send it nothing",
                    new Dictionary<string, object?> { ["authorizationName"] = destination.AuthorizationName },
                    subject: destination.Host);
            }
        }
    }
}
