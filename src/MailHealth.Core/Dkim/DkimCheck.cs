using MailHealth.Checks;
using MailHealth.Dns;
using MailHealth.Targets;

namespace MailHealth.Dkim;

/// <summary>
/// The <c>dkim:SELECTOR</c> checks: each configured selector's key record (RFC 6376 section 3.6).
/// With no selector configured, a short list of common selectors is probed and whatever is found
/// is reported for information only: a selector the domain does not use is not a problem.
/// </summary>
public sealed class DkimCheck : ICheck
{
    public const string KindName = CheckKinds.Dkim;

    /// <summary>Selectors widely used by mail providers and signing software, probed when none is configured.</summary>
    public static IReadOnlyList<string> CommonSelectors { get; } =
    [
        "default", "dkim", "mail", "selector1", "selector2", "google", "k1", "k2", "k3",
        "s1", "s2", "smtp", "key1", "key2", "sig1", "mx",
    ];

    public string Kind => KindName;

    public async Task<IReadOnlyList<CheckResult>> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var configured = context.Target.DkimSelectors
            .Select(s => s.Trim().TrimEnd('.'))
            .Where(s => s.Length > 0)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        if (configured.Count > 0)
        {
            var lookups = configured.Select(s => LookupAsync(context, s, cancellationToken));
            return [.. (await Task.WhenAll(lookups).ConfigureAwait(false)).Select(l => Report(l, discovered: false))];
        }

        return await DiscoverAsync(context, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The key record name of a selector (RFC 6376 section 3.6.2.1).</summary>
    public static string KeyName(string selector, string domain) => $"{selector}._domainkey.{domain}";

    private static async Task<IReadOnlyList<CheckResult>> DiscoverAsync(CheckContext context, CancellationToken cancellationToken)
    {
        var summary = context.Result(KindName, KindName, context.Target.Domain);
        // One question first: when the domain's DNS does not answer, fifteen more would only hold
        // the run's concurrency slots for their timeouts.
        var probe = await LookupAsync(context, CommonSelectors[0], cancellationToken).ConfigureAwait(false);
        var rest = probe.Answer.FailureCode is null
            ? await Task.WhenAll(CommonSelectors.Skip(1).Select(s => LookupAsync(context, s, cancellationToken))).ConfigureAwait(false)
            : [];
        IReadOnlyList<SelectorLookup> lookups = [probe, .. rest];
        var found = lookups.Where(l => l.Records.Any(r => r.LooksLikeKeyRecord)).ToList();
        var failed = lookups.Where(l => l.Answer.FailureCode is not null).ToList();

        summary.Evidence("mode", "discovery: no selector configured, common selectors probed");
        summary.Evidence("triedSelectors", lookups.Select(l => l.Selector).ToList());
        summary.Evidence("foundSelectors", found.Select(l => l.Selector).ToList());
        summary.Metric("selectorsFound", found.Count);
        if (failed.Count > 0)
        {
            summary.Evidence("unanswered", failed.Select(l => l.Answer.Describe()).ToList());
            // By name too: a selector found before and unanswered now is unknown, not removed (docs/changes.md).
            summary.Evidence("unansweredSelectors", failed.Select(l => l.Selector).ToList());
            if (found.Count == 0)
            {
                // Nothing found and some questions unanswered: we cannot say the domain has no key.
                var first = failed[0].Answer;
                summary.AddLookupFailure(first, "DKIM selector discovery failed");
            }
        }

        return [summary.Build(), .. found.Select(l => Report(l, discovered: true))];
    }

    private static async Task<SelectorLookup> LookupAsync(CheckContext context, string selector, CancellationToken cancellationToken)
    {
        var name = KeyName(selector, context.Target.Domain);
        // Made before the query so that the result's duration covers it.
        var result = context.Result($"{KindName}:{selector}", KindName, selector);
        var answer = await context.AskInSlotAsync((dns, ct) => dns.GetTxtAsync(name, ct), cancellationToken).ConfigureAwait(false);

        var records = answer.FailureCode is null ? answer.TxtRecords().Select(DkimKeyRecord.Parse).ToList() : [];
        return new SelectorLookup(selector, name, answer, records, result);
    }

    private static CheckResult Report(SelectorLookup lookup, bool discovered)
    {
        var result = lookup.Result;
        result.Evidence("name", lookup.Name);
        result.Evidence("query", lookup.Answer.Describe());
        if (discovered)
        {
            result.Evidence("discovered", true);
        }

        if (result.AddLookupFailure(lookup.Answer, "the DKIM key lookup failed"))
        {
            return result.Build();
        }

        // Discovery reports what it sees as information: the selector may well be unused.
        var records = discovered ? [.. lookup.Records.Where(r => r.LooksLikeKeyRecord)] : lookup.Records;
        result.Evidence("records", records.Select(r => r.ToEvidence()).ToList());
        if (records.Select(r => r.Key).FirstOrDefault(k => k is not null) is { } key)
        {
            result.Evidence("keyType", key.Type);
            result.Evidence("keyBits", key.Bits);
            result.Metric("keyBits", key.Bits);
        }

        foreach (var finding in DkimKeyFindings.Inspect(lookup.Selector, lookup.Name, records))
        {
            result.Add(discovered ? finding with { Severity = Severity.Info } : finding);
        }

        return result.Build();
    }

    private sealed record SelectorLookup(string Selector, string Name, DnsAnswer Answer, IReadOnlyList<DkimKeyRecord> Records, CheckResultBuilder Result);
}
