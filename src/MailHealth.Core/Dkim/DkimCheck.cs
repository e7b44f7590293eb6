using MailHealth.Checks;
using MailHealth.Dns;
using MailHealth.Memory;
using MailHealth.Targets;

namespace MailHealth.Dkim;

/// <summary>
/// The <c>dkim:SELECTOR</c> checks: the key record of each selector the target uses (RFC 6376
/// section 3.6). Its selectors are the configured ones (<see cref="Target.DkimSelectors"/>), those
/// receivers reported, and, for a target that names none, those the discovery sweep found (the
/// monitor remembers them: <see cref="TargetMemory"/>; a one-off check sweeps inline). A key found
/// by guessing is reported for information only: the domain may not use that selector. A target
/// with no selector at all gets <see cref="DkimFindingCodes.NoSelector"/>, never a silent pass.
/// </summary>
public sealed class DkimCheck : ICheck
{
    public const string KindName = CheckKinds.Dkim;

    private const string Configured = "configured";
    private const string Reported = "reported";
    private const string Discovered = "discovered";

    /// <summary>Selectors widely used by mail providers and signing software: what the discovery sweep tries.</summary>
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
            .Select(s => s.Trim().TrimEnd('.').ToLowerInvariant())
            .Where(s => s.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var remembered = context.Memory?.ActiveDkimSelectors(context.Time.GetUtcNow()) ?? [];
        if (configured.Count > 0)
        {
            // The target's own selectors, and any other that receivers saw it sign with.
            var reported = remembered.Where(r => !r.OnlyGuessed && !configured.Contains(r.Selector)).Select(r => (r.Selector, Reported));
            return await CheckAsync(context, [.. configured.Select(s => (s, Configured)), .. reported], cancellationToken).ConfigureAwait(false);
        }

        return context.Memory is { } memory
            ? await RememberedAsync(context, memory, remembered, cancellationToken).ConfigureAwait(false)
            : await GuessedAsync(context, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The key record name of a selector (RFC 6376 section 3.6.2.1).</summary>
    public static string KeyName(string selector, string domain) => $"{selector}.{DkimSelectorSweep.DomainKeyName(domain)}";

    /// <summary>The monitor: the selectors it remembers (found by the daily sweep, reported by receivers), never guessed per cycle.</summary>
    private static async Task<IReadOnlyList<CheckResult>> RememberedAsync(
        CheckContext context, TargetMemory memory, IReadOnlyList<RememberedSelector> remembered, CancellationToken cancellationToken)
    {
        var summary = context.Result(KindName, KindName, context.Target.Domain);
        summary.Evidence("mode", "remembered: no selector configured; the selectors found by the discovery sweep or reported by receivers are checked");
        summary.Evidence("selectors", remembered.Select(r => new Dictionary<string, object?>
        {
            ["selector"] = r.Selector,
            ["discoveredAt"] = r.DiscoveredAt,
            ["reportedAt"] = r.ReportedAt,
        }).ToList());
        if (memory.LastDkimSweep is { } sweep)
        {
            summary.Evidence("lastSweep", SweepEvidence(sweep.At, sweep.Outcome, sweep.Questions, sweep.GuardCaught));
        }

        summary.Metric("selectorsKnown", remembered.Count);
        var dormant = memory.DkimSelectors.Select(s => s.Selector).Except(remembered.Select(r => r.Selector)).ToList();
        if (dormant.Count > 0)
        {
            // Reported long ago and not found by guessing: no longer checked, which says nothing
            // about their keys. Named so, they are unread, not removed (docs/changes.md).
            summary.Evidence("uncheckedSelectors", dormant);
        }

        if (remembered.Count == 0)
        {
            if (memory.LastDkimSweep is { Outcome: DkimSweepOutcome.Unanswered, FailureCode: { } code } failed)
            {
                summary.Add(code, Severity.Warning, $"DKIM selector discovery failed: {failed.Failure}");
                summary.MarkError(failed.Failure ?? "the selector sweep got no answer");
                return [summary.Build()];
            }

            AddNoSelector(summary, context.Target.Domain, "no selector is configured (dkimSelectors) or reported by receivers", memory.LastDkimSweep?.Outcome);
            return [summary.Build()];
        }

        var guessed = remembered.Where(r => r.OnlyGuessed).Select(r => r.Selector).ToList();
        if (guessed.Count > 0)
        {
            AddGuessed(summary, guessed, "found by the daily discovery sweep");
        }

        var results = await CheckAsync(context, [.. remembered.Select(r => (r.Selector, r.OnlyGuessed ? Discovered : Reported))], cancellationToken).ConfigureAwait(false);
        return [summary.Build(), .. results];
    }

    /// <summary>A one-off check with no selector given: the sweep, now, and what it found.</summary>
    private static async Task<IReadOnlyList<CheckResult>> GuessedAsync(CheckContext context, CancellationToken cancellationToken)
    {
        var domain = context.Target.Domain;
        var summary = context.Result(KindName, KindName, domain);
        var sweep = await DkimSelectorSweep.SweepAsync(context.Dns, domain, [], context.DnsConcurrency, cancellationToken).ConfigureAwait(false);
        summary.Evidence("mode", "guessed: no selector given; common selectors were tried (the monitor does this daily and remembers what it finds)");
        summary.Evidence("sweep", SweepEvidence(null, sweep.Outcome, sweep.Questions, sweep.GuardCaught));
        summary.Evidence("triedSelectors", sweep.Tried);
        summary.Evidence("foundSelectors", sweep.Found);
        summary.Metric("selectorsFound", sweep.Found.Count);
        if (sweep.Unanswered.Count > 0)
        {
            summary.Evidence("unanswered", sweep.Unanswered.Select(s => sweep.Answers[s].Describe()).ToList());
            // By name too: a selector found before and unanswered now is unknown, not removed (docs/changes.md).
            summary.Evidence("unansweredSelectors", sweep.Unanswered);
        }

        if (sweep.Found.Count == 0)
        {
            if (sweep.Outcome == DkimSweepOutcome.Unanswered && sweep.Failure is { } failure)
            {
                // Nothing found and questions unanswered: we cannot say the domain has no key.
                summary.AddLookupFailure(failure, "DKIM selector discovery failed");
            }
            else
            {
                AddNoSelector(summary, domain, "no selector was given (--dkim-selector, dkimSelectors)", sweep.Outcome);
            }

            return [summary.Build()];
        }

        AddGuessed(summary, sweep.Found, "found by trying the common selectors");
        // The sweep's answers are the run's: asking again costs no question.
        var results = await CheckAsync(context, [.. sweep.Found.Select(s => (s, Discovered))], cancellationToken).ConfigureAwait(false);
        return [summary.Build(), .. results];
    }

    private static Dictionary<string, object?> SweepEvidence(DateTimeOffset? at, DkimSweepOutcome outcome, int questions, bool guardCaught)
    {
        var evidence = new Dictionary<string, object?> { ["outcome"] = outcome.ToString(), ["questions"] = questions };
        if (at is { } time)
        {
            evidence["at"] = time;
        }

        if (guardCaught)
        {
            // The server answered NXDOMAIN for _domainkey with a selector below it (RFC 8020 broken).
            evidence["brokenNxdomain"] = true;
        }

        return evidence;
    }

    private static void AddGuessed(CheckResultBuilder summary, IReadOnlyList<string> selectors, string how)
    {
        summary.Add(DkimFindingCodes.SelectorsGuessed, Severity.Info,
            $"no selector is configured: {string.Join(", ", selectors)}, {how}, are checked for information only (the domain may not sign with them). Name the selectors it signs with in dkimSelectors to have them checked in earnest",
            new Dictionary<string, object?> { ["selectors"] = selectors });
    }

    private static void AddNoSelector(CheckResultBuilder summary, string domain, string unknown, DkimSweepOutcome? outcome)
    {
        var sweep = outcome switch
        {
            DkimSweepOutcome.NoDomainKey => $"{DkimSelectorSweep.DomainKeyName(domain)} does not exist, so no selector below it does (RFC 8020)",
            DkimSweepOutcome.NoneFound => $"none of the {CommonSelectors.Count} common selectors has a key",
            _ => "the discovery sweep has not run yet",
        };
        summary.Add(DkimFindingCodes.NoSelector, Severity.Warning,
            $"DKIM could not be checked for {domain}: {unknown}, and {sweep}. Name the selector it signs with (the s= tag of the DKIM-Signature header of its mail) in dkimSelectors; a domain that sends no mail needs none",
            new Dictionary<string, object?> { ["sweep"] = outcome?.ToString() });
    }

    /// <summary>One result per selector, each read in a DNS slot of the run.</summary>
    private static async Task<IReadOnlyList<CheckResult>> CheckAsync(CheckContext context, IReadOnlyList<(string Selector, string Source)> selectors, CancellationToken cancellationToken)
    {
        var lookups = await Task.WhenAll(selectors.Select(s => LookupAsync(context, s.Selector, cancellationToken))).ConfigureAwait(false);
        return [.. lookups.Zip(selectors, (lookup, s) => Report(lookup, s.Source))];
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

    private static CheckResult Report(SelectorLookup lookup, string source)
    {
        var result = lookup.Result;
        var guessed = source == Discovered;
        result.Evidence("name", lookup.Name);
        result.Evidence("query", lookup.Answer.Describe());
        result.Evidence("source", source);
        if (guessed)
        {
            result.Evidence("discovered", true);
        }

        if (result.AddLookupFailure(lookup.Answer, "the DKIM key lookup failed"))
        {
            return result.Build();
        }

        // A guessed selector is reported as information: the domain may well not use it.
        var records = guessed ? [.. lookup.Records.Where(r => r.LooksLikeKeyRecord)] : lookup.Records;
        result.Evidence("records", records.Select(r => r.ToEvidence()).ToList());
        if (records.Select(r => r.Key).FirstOrDefault(k => k is not null) is { } key)
        {
            result.Evidence("keyType", key.Type);
            result.Evidence("keyBits", key.Bits);
            result.Metric("keyBits", key.Bits);
        }

        foreach (var finding in DkimKeyFindings.Inspect(lookup.Selector, lookup.Name, records))
        {
            result.Add(guessed ? finding with { Severity = Severity.Info } : finding);
        }

        return result.Build();
    }

    private sealed record SelectorLookup(string Selector, string Name, DnsAnswer Answer, IReadOnlyList<DkimKeyRecord> Records, CheckResultBuilder Result);
}
