using MailHealth.Checks;
using MailHealth.Targets;

namespace MailHealth.TlsRpt;

/// <summary>The <c>tls-rpt</c> check: the domain's SMTP TLS reporting record (RFC 8460 section 3).</summary>
public sealed class TlsRptCheck : ICheck
{
    public const string KindName = CheckKinds.TlsRpt;

    public string Kind => KindName;

    public async Task<IReadOnlyList<CheckResult>> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var domain = context.Target.Domain;
        var result = context.Result(KindName, KindName, domain);
        var recordName = "_smtp._tls." + domain;
        var answer = await context.Dns.GetTxtAsync(recordName, cancellationToken).ConfigureAwait(false);
        result.Evidence("query", answer.Describe());
        if (result.AddLookupFailure(answer, "the TLS-RPT record lookup failed"))
        {
            return [result.Build()];
        }

        var texts = answer.TxtRecords();
        var candidates = texts.Where(TlsRptRecord.IsCandidate).ToList();
        var lookalikes = texts.Where(TlsRptRecord.LooksLikeTlsRpt).ToList();
        result.Evidence("records", lookalikes);

        if (candidates.Count == 0)
        {
            if (lookalikes.Count > 0)
            {
                result.Add(TlsRptFindingCodes.Invalid, Severity.Warning,
                    $"{recordName} has a record that does not begin with v=TLSRPTv1; ('{lookalikes[0]}'): senders discard it and send no reports");
            }
            else
            {
                result.Add(TlsRptFindingCodes.Missing, Severity.Info,
                    $"{domain} publishes no TLS-RPT record ({recordName}): senders cannot report TLS failures to you");
            }

            return [result.Build()];
        }

        if (candidates.Count > 1)
        {
            // RFC 8460 section 3: not exactly one record means no TLSRPT.
            result.Add(TlsRptFindingCodes.Invalid, Severity.Warning,
                $"{recordName} has {candidates.Count} v=TLSRPTv1 records; senders then send no reports: keep exactly one");
            return [result.Build()];
        }

        if (!TlsRptRecord.TryParse(candidates[0], out var record, out var error))
        {
            result.Add(TlsRptFindingCodes.Invalid, Severity.Warning, $"{recordName} is malformed ({error}): senders send no reports",
                new Dictionary<string, object?> { ["record"] = candidates[0] });
            return [result.Build()];
        }

        result.Evidence("rua", record.Rua.Select(u => u.OriginalString).ToList());
        return [result.Build()];
    }
}
