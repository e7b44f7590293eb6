using MailHealth.Checks;
using MailHealth.Dmarc;
using MailHealth.Dns;
using MailHealth.MtaSts;
using MailHealth.Targets;

namespace MailHealth.Bimi;

/// <summary>
/// The <c>bimi:SELECTOR</c> checks (draft-brand-indicators-for-message-identification): the
/// assertion record at <c>SELECTOR._bimi.DOMAIN</c> (default, and the target's own selector), its
/// syntax, the l= logo fetched over HTTPS and held to the SVG Tiny PS basics, the a= mark
/// certificate, and the DMARC enforcement receivers require before they show a logo. A domain
/// without a default record gets a result without findings: BIMI is optional.
/// </summary>
public sealed class BimiCheck : ICheck
{
    public const string KindName = CheckKinds.Bimi;

    public const string DefaultSelector = "default";

    /// <summary>The logo size receivers accept (the BIMI group's guidance: 32 KiB).</summary>
    public const int MaxLogoBytes = 32 * 1024;

    /// <summary>A mark certificate chain is a few KiB; more is not what a receiver reads.</summary>
    public const int MaxCertificateBytes = 64 * 1024;

    private static readonly FetchedDocument Logo = new("logo", "receivers", "redirects are not followed");

    private static readonly FetchedDocument MarkCertificate = new("mark certificate", "receivers", "redirects are not followed");

    public string Kind => KindName;

    public async Task<IReadOnlyList<CheckResult>> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var selectors = new List<(string Selector, bool Required)> { (DefaultSelector, false) };
        if (context.Target.BimiSelector is { Length: > 0 } own && !own.Equals(DefaultSelector, StringComparison.OrdinalIgnoreCase))
        {
            selectors.Add((own.ToLowerInvariant(), true));
        }

        return await Task.WhenAll(selectors.Select(s => CheckSelectorAsync(context, s.Selector, s.Required, cancellationToken))).ConfigureAwait(false);
    }

    public static string RecordName(string selector, string domain) => $"{selector}._bimi.{domain}";

    private static async Task<CheckResult> CheckSelectorAsync(CheckContext context, string selector, bool required, CancellationToken cancellationToken)
    {
        var domain = Canonical.Name(context.Target.Domain);
        var name = RecordName(selector, domain);
        var result = context.Result($"{KindName}:{selector}", KindName, name);
        var answer = await context.Dns.GetTxtAsync(name, cancellationToken).ConfigureAwait(false);
        result.Evidence("query", answer.Describe());
        if (result.AddLookupFailure(answer, "the BIMI record lookup failed"))
        {
            return result.Build();
        }

        var texts = answer.TxtRecords().Where(BimiRecord.LooksLikeBimi).ToList();
        if (texts.Count == 0)
        {
            if (required)
            {
                result.Add(BimiFindingCodes.Missing, Severity.Warning,
                    $"no BIMI record at {name}: mail that names the selector {selector} (BIMI-Selector header) shows no logo");
            }

            return result.Build();
        }

        if (texts.Count > 1)
        {
            result.Add(BimiFindingCodes.SyntaxError, Severity.Warning,
                $"{texts.Count} BIMI records at {name}: receivers use none of them",
                new Dictionary<string, object?> { ["records"] = texts });
            return result.Build();
        }

        var record = BimiRecord.Parse(texts[0]);
        result.Evidence("record", record.Text);
        if (record.Problems.Count > 0)
        {
            result.Add(BimiFindingCodes.SyntaxError, Severity.Warning,
                $"the BIMI record at {name} has errors: {string.Join("; ", record.Problems)}",
                new Dictionary<string, object?> { ["record"] = record.Text, ["problems"] = record.Problems });
            return result.Build();
        }

        if (record.Declines)
        {
            result.Evidence("declined", true);
            return result.Build();
        }

        await CheckDmarcAsync(context, result, domain, cancellationToken).ConfigureAwait(false);
        if (record.Logo is { } logo)
        {
            await CheckLogoAsync(context, result, new Uri(logo), cancellationToken).ConfigureAwait(false);
        }

        if (record.Evidence is { } evidence)
        {
            await CheckCertificateAsync(context, result, new Uri(evidence), cancellationToken).ConfigureAwait(false);
        }

        return result.Build();
    }

    // Receivers show a logo only for mail under an enforcing DMARC policy: quarantine or reject,
    // applied to all mail (no pct below 100 where the record still carries it).
    private static async Task CheckDmarcAsync(CheckContext context, CheckResultBuilder result, string domain, CancellationToken cancellationToken)
    {
        var discovery = await DmarcTreeWalk.WalkAsync(context.Dns, domain, cancellationToken).ConfigureAwait(false);
        if (discovery.Failure is { } failure)
        {
            result.AddIncompleteLookup(failure, $"whether the DMARC policy of {domain} is at enforcement is unknown");
            return;
        }

        var own = discovery.ForDomain();
        result.Evidence("dmarcPolicy", own.Policy is { } p ? DmarcRecord.Name(p) : null);
        var pct = own.Record?.Tags["pct"];
        if (own.Policy is not (DmarcPolicy.Quarantine or DmarcPolicy.Reject))
        {
            var what = own.Policy is null ? "no DMARC policy applies" : $"its DMARC policy is {DmarcRecord.Name(own.Policy.Value)} ({own.Explanation})";
            result.Add(BimiFindingCodes.DmarcInsufficient, Severity.Warning,
                $"{domain} publishes a BIMI record, but {what}: receivers show a logo only under p=quarantine or p=reject");
        }
        else if (pct is not null && pct != "100")
        {
            result.Add(BimiFindingCodes.DmarcInsufficient, Severity.Warning,
                $"the DMARC record of {domain} has pct={pct}: receivers show a BIMI logo only when the policy applies to all mail (remove pct or set pct=100)");
        }
    }

    private static async Task CheckLogoAsync(CheckContext context, CheckResultBuilder result, Uri logo, CancellationToken cancellationToken)
    {
        var fetch = await MtaStsPolicyFetcher.FetchAsync(logo, MaxLogoBytes, context.Dns, context.Options, context.Time, cancellationToken, Logo).ConfigureAwait(false);
        result.Evidence("logo", new Dictionary<string, object?> { ["url"] = logo.ToString(), ["fetch"] = fetch.Detail, ["contentType"] = fetch.ContentType });
        if (fetch.Outcome == PolicyFetchOutcome.TooLarge)
        {
            result.Add(BimiFindingCodes.LogoInvalid, Severity.Warning, $"the BIMI logo is too large: {fetch.Detail} ({MaxLogoBytes / 1024} KiB)", subject: logo.ToString());
            return;
        }

        if (fetch.Outcome != PolicyFetchOutcome.Fetched || fetch.Body is not { } body)
        {
            result.Add(BimiFindingCodes.LogoUnreachable, Severity.Warning, $"the BIMI logo cannot be fetched: {fetch.Detail}", subject: logo.ToString());
            return;
        }

        var problems = new List<string>();
        var type = fetch.ContentType?.Split(';')[0].Trim();
        if (!string.Equals(type, "image/svg+xml", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"it is served as '{fetch.ContentType ?? "(no Content-Type)"}', not image/svg+xml");
        }

        problems.AddRange(SvgTinyPsInspector.Inspect(body));
        if (problems.Count > 0)
        {
            result.Add(BimiFindingCodes.LogoInvalid, Severity.Warning,
                $"the BIMI logo is not an SVG Tiny PS image receivers accept: {string.Join("; ", problems)}",
                new Dictionary<string, object?> { ["url"] = logo.ToString(), ["problems"] = problems }, logo.ToString());
        }
    }

    private static async Task CheckCertificateAsync(CheckContext context, CheckResultBuilder result, Uri evidence, CancellationToken cancellationToken)
    {
        var fetch = await MtaStsPolicyFetcher.FetchAsync(evidence, MaxCertificateBytes, context.Dns, context.Options, context.Time, cancellationToken, MarkCertificate).ConfigureAwait(false);
        if (fetch.Outcome != PolicyFetchOutcome.Fetched || fetch.Body is not { } body)
        {
            result.Add(BimiFindingCodes.CertificateInvalid, Severity.Warning, $"the BIMI mark certificate cannot be fetched: {fetch.Detail}", subject: evidence.ToString());
            return;
        }

        var inspection = MarkCertificateInspector.Inspect(body, context.Time.GetUtcNow());
        result.Evidence("markCertificate", new Dictionary<string, object?>
        {
            ["url"] = evidence.ToString(),
            ["subject"] = inspection.Subject,
            ["notAfter"] = inspection.NotAfter?.ToString("u", System.Globalization.CultureInfo.InvariantCulture),
            ["certificates"] = inspection.Certificates,
        });
        if (inspection.Problems.Count > 0)
        {
            result.Add(BimiFindingCodes.CertificateInvalid, Severity.Warning,
                $"the BIMI mark certificate is not usable: {string.Join("; ", inspection.Problems)}",
                new Dictionary<string, object?> { ["url"] = evidence.ToString(), ["problems"] = inspection.Problems }, evidence.ToString());
        }
    }
}
