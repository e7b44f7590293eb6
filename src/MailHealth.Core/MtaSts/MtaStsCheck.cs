using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using MailHealth.Checks;
using MailHealth.Dns;
using MailHealth.Smtp;
using MailHealth.Targets;

namespace MailHealth.MtaSts;

/// <summary>
/// The <c>mta-sts</c> check (RFC 8461): the <c>_mta-sts</c> TXT record, the policy fetched over
/// HTTPS from the policy host, its syntax, its mode, and each MX host against its mx patterns.
/// </summary>
public sealed class MtaStsCheck : ICheck
{
    public const string KindName = CheckKinds.MtaSts;

    /// <summary>Evidence keeps at most this much of the policy text.</summary>
    private const int EvidencePolicyChars = 4096;

    public string Kind => KindName;

    public async Task<IReadOnlyList<CheckResult>> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var domain = context.Target.Domain;
        var result = context.Result(KindName, KindName, domain);
        var recordName = "_mta-sts." + domain;
        var answer = await context.Dns.GetTxtAsync(recordName, cancellationToken).ConfigureAwait(false);
        result.Evidence("query", answer.Describe());
        if (result.AddLookupFailure(answer, "the MTA-STS record lookup failed"))
        {
            return [result.Build()];
        }

        var texts = answer.TxtRecords();
        // RFC 8461 section 3.1: records that do not begin with "v=STSv1;" are discarded.
        var candidates = texts.Where(MtaStsRecord.IsCandidate).ToList();
        result.Evidence("records", candidates.Count > 0 ? candidates : texts.Where(MtaStsRecord.LooksLikeMtaSts).ToList());
        if (candidates.Count == 0)
        {
            var lookalikes = texts.Where(MtaStsRecord.LooksLikeMtaSts).ToList();
            if (lookalikes.Count > 0)
            {
                result.Add(MtaStsFindingCodes.RecordInvalid, Severity.Warning,
                    $"{recordName} has a record that does not begin with v=STSv1; ('{lookalikes[0]}'): senders ignore it and MTA-STS is off");
            }
            else
            {
                result.Add(MtaStsFindingCodes.Missing, Severity.Info, $"{domain} publishes no MTA-STS record ({recordName}): senders use opportunistic TLS only");
            }

            return [result.Build()];
        }

        if (candidates.Count > 1)
        {
            result.Add(MtaStsFindingCodes.RecordInvalid, Severity.Warning,
                $"{recordName} has {candidates.Count} v=STSv1 records; RFC 8461 section 3.1 then says senders assume no MTA-STS: keep exactly one");
            return [result.Build()];
        }

        if (!MtaStsRecord.TryParse(candidates[0], out var record, out var recordError))
        {
            result.Add(MtaStsFindingCodes.RecordInvalid, Severity.Warning,
                $"{recordName} is malformed ({recordError}): senders ignore it and MTA-STS is off");
            return [result.Build()];
        }

        result.Evidence("id", record.Id);
        await CheckPolicyAsync(context, result, cancellationToken).ConfigureAwait(false);
        return [result.Build()];
    }

    private static async Task CheckPolicyAsync(CheckContext context, CheckResultBuilder result, CancellationToken cancellationToken)
    {
        var policyHost = "mta-sts." + context.Target.Domain;
        var hostSubject = policyHost + ":443";
        PolicyFetch fetch;
        await context.Concurrency.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            fetch = await context.Network.RunAsync(
                ct => MtaStsPolicyFetcher.FetchAsync(policyHost, context.Dns, context.Options, context.Time, ct),
                cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            context.Concurrency.Release();
        }

        result.Evidence("policyUrl", fetch.Url.ToString());
        result.Evidence("policyHostAddresses", fetch.Addresses);
        result.Evidence("fetch", fetch.Detail);
        result.Evidence("httpStatus", fetch.StatusCode);
        result.Evidence("contentType", fetch.ContentType);
        result.Metric("fetchMs", fetch.ElapsedMs);
        if (fetch.Certificate is { } certificate)
        {
            result.Evidence("certificate", certificate.ToEvidence());
            // Reported like an SMTP certificate; an invalid one is critical: senders then cannot
            // fetch the policy (RFC 8461 section 3.3).
            result.Metric("certificateDaysLeft", certificate.DaysLeft);
            CertificateFindings.Add(result, certificate, context.Options, Severity.Critical, dnsIdOnly: true, hostSubject, "; senders will not fetch the policy");
        }

        if (fetch.DnsFailure is { } failed && result.AddLookupFailure(failed, "could not resolve the policy host", policyHost))
        {
            return;
        }

        if (fetch.NotAllowed.Count > 0)
        {
            // The host's name is the domain's own (mta-sts.DOMAIN in its public DNS): an address
            // no sender can reach is the domain's fault, not a choice of the monitor.
            var all = fetch.Outcome == PolicyFetchOutcome.AddressNotAllowed;
            result.AddNotOnTheInternet(MtaStsFindingCodes.PolicyPrivateAddress, $"the policy host {policyHost}", policyHost, fetch.NotAllowed, all,
                "senders cannot fetch the policy and continue as if the domain had no MTA-STS", hostSubject);
            if (all)
            {
                return;
            }
        }

        if (fetch.Outcome is PolicyFetchOutcome.TooLarge)
        {
            result.Add(MtaStsFindingCodes.PolicyInvalid, Severity.Critical,
                $"{fetch.Detail} (RFC 8461 section 3.3 suggests senders stop at 64 KB): senders will not use it",
                Fields(fetch), hostSubject);
            return;
        }

        if (fetch.Outcome != PolicyFetchOutcome.Fetched || fetch.Body is null)
        {
            result.Add(MtaStsFindingCodes.PolicyUnreachable, Severity.Critical,
                $"the MTA-STS policy cannot be fetched: {fetch.Detail}; senders continue as if the domain had no MTA-STS",
                Fields(fetch), hostSubject);
            return;
        }

        result.Metric("policyBytes", fetch.Body.Length);
        var text = Encoding.UTF8.GetString(fetch.Body);
        result.Evidence("policy", text.Length <= EvidencePolicyChars ? text : text[..EvidencePolicyChars] + "...");

        // RFC 8461 section 3.2: senders SHOULD check the media type is text/plain.
        if (!IsTextPlain(fetch.ContentType))
        {
            result.Add(MtaStsFindingCodes.PolicyInvalid, Severity.Critical,
                $"the policy is served as '{fetch.ContentType ?? "(no Content-Type)"}', not text/plain (RFC 8461 section 3.2): senders may refuse it",
                Fields(fetch), hostSubject);
        }

        var parsed = MtaStsPolicyParser.Parse(fetch.Body);
        if (parsed.Policy is not { } policy)
        {
            result.Evidence("policyErrors", parsed.Errors);
            result.Add(MtaStsFindingCodes.PolicyInvalid, Severity.Critical,
                $"the MTA-STS policy is malformed: {string.Join("; ", parsed.Errors)}",
                new Dictionary<string, object?> { ["errors"] = parsed.Errors }, hostSubject);
            return;
        }

        result.Evidence("mode", policy.Mode.ToString().ToLowerInvariant());
        result.Evidence("maxAge", policy.MaxAgeSeconds);
        result.Evidence("mx", policy.Mx.Select(p => p.Text).ToList());
        result.Metric("maxAgeSeconds", policy.MaxAgeSeconds);

        switch (policy.Mode)
        {
            case MtaStsMode.None:
                result.Add(MtaStsFindingCodes.ModeNone, Severity.Info, "the MTA-STS policy has mode none: senders do not apply MTA-STS");
                return;
            case MtaStsMode.Testing:
                result.Add(MtaStsFindingCodes.TestingMode, Severity.Info,
                    "the MTA-STS policy has mode testing: senders report failures but deliver anyway; switch to enforce once reports are clean");
                break;
        }

        await JudgeMxAsync(context, result, policy).ConfigureAwait(false);
    }

    /// <summary>
    /// Each MX host under the policy: matched by one of its mx patterns (RFC 8461 section 4.1), and
    /// offering STARTTLS with a certificate PKIX-valid for its name (section 4.2, judged from the
    /// port-25 probes; hosts not probed are left out). RFC 8461 section 5: enforce refuses delivery
    /// to an MX that fails; testing only reports it.
    /// </summary>
    private static async Task JudgeMxAsync(CheckContext context, CheckResultBuilder result, MtaStsPolicy policy)
    {
        var mx = await context.Mx.ConfigureAwait(false);
        var probes = await context.SmtpProbes.ConfigureAwait(false);
        var severity = policy.Mode == MtaStsMode.Enforce ? Severity.Critical : Severity.Warning;
        var consequence = policy.Mode == MtaStsMode.Enforce
            ? "senders that honour MTA-STS will not deliver to it"
            : "senders report it as a failure (mode testing)";
        var matches = new List<object>();
        foreach (var host in mx.Hosts.Hosts.Select(h => h.Name))
        {
            var pattern = policy.Match(host);
            matches.Add(new { host, pattern = pattern?.Text });
            if (pattern is null)
            {
                result.Add(MtaStsFindingCodes.MxMismatch, severity,
                    $"MX host {host} matches none of the policy's mx patterns ({string.Join(", ", policy.Mx)}): {consequence}",
                    new Dictionary<string, object?> { ["host"] = host, ["patterns"] = policy.Mx.Select(p => p.Text).ToList() }, host);
            }

            var port25 = probes.Where(p => p.Port.Port == 25 && string.Equals(p.Host.Name, host, StringComparison.OrdinalIgnoreCase));
            if (port25.Select(MxTlsProblem).FirstOrDefault(p => p is not null) is { } problem)
            {
                result.Add(MtaStsFindingCodes.MxTlsInvalid, severity, $"MX host {host} {problem}: {consequence}",
                    new Dictionary<string, object?> { ["host"] = host }, host);
            }
        }

        result.Evidence("mxMatches", matches);
    }

    private static string? MxTlsProblem(SmtpProbeOutcome probe)
    {
        if (!probe.TlsEstablished || probe.CertificateChain.Count == 0)
        {
            // A connection that never happened, or a probe cut short on our side, is the SMTP
            // check's finding, not a policy failure we can judge.
            return probe.ReachedServer ? "completed no STARTTLS on port 25" : null;
        }

        // The probe judged the chain already, for this host, with the same roots and clock.
        if (probe.Certificate is not { } cert)
        {
            return "presents a certificate on port 25 that cannot be parsed";
        }

        var problems = new List<string>();
        if (!cert.Trusted)
        {
            problems.Add($"does not chain to a trusted root ({string.Join("; ", cert.ChainStatus)})");
        }

        // RFC 8461 section 4.1: the MX host must match a DNS-ID of the certificate.
        if (!cert.DnsIdMatches)
        {
            problems.Add($"is not valid for {probe.Host.Name}");
        }

        if (cert.Expired || cert.NotYetValid)
        {
            problems.Add($"is outside its validity ({cert.NotBefore:yyyy-MM-dd} to {cert.NotAfter:yyyy-MM-dd})");
        }

        return problems.Count == 0 ? null : $"presents a certificate on port 25 that {string.Join(", ", problems)}";
    }

    private static bool IsTextPlain(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media)
        && string.Equals(media.MediaType, "text/plain", StringComparison.OrdinalIgnoreCase);

    private static Dictionary<string, object?> Fields(PolicyFetch fetch) => new()
    {
        ["url"] = fetch.Url.ToString(),
        ["status"] = fetch.StatusCode,
        ["contentType"] = fetch.ContentType,
        ["location"] = fetch.Location,
        ["outcome"] = fetch.Outcome.ToString(),
    };
}
