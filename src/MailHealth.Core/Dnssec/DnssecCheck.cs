using DnsClient;
using DnsClient.Protocol;
using MailHealth.Checks;
using MailHealth.Dns;
using MailHealth.Targets;

namespace MailHealth.Dnssec;

/// <summary>
/// The <c>dnssec</c> check: whether the domain's zone is signed (DS at the parent, DNSKEY), whether
/// its answers validate (the AD bit of a validating resolver, RFC 4035 section 3.2.3), and the
/// failure that loses mail: a bogus chain, for which validating senders get SERVFAIL for the MX.
/// DANE (RFC 7672 section 2.2) needs all of it.
/// </summary>
public sealed class DnssecCheck : ICheck
{
    public const string KindName = CheckKinds.Dnssec;

    /// <summary>Signatures ending sooner than this are a warning: re-signing has stopped or lags.</summary>
    public static readonly TimeSpan ExpiryWarning = TimeSpan.FromDays(7);

    public string Kind => KindName;

    public async Task<IReadOnlyList<CheckResult>> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var domain = Canonical.Name(context.Target.Domain);
        var result = context.Result(KindName, KindName, domain);
        var mx = await context.Dns.QueryAsync(domain, QueryType.MX, cancellationToken).ConfigureAwait(false);
        result.Evidence("mx", mx.Describe());
        if (mx.Outcome == DnsOutcome.ServerFailure)
        {
            // RFC 4035 section 3.2.2: with CD set the resolver skips validation. An answer then
            // means the data is there and only its DNSSEC chain fails.
            var withoutValidation = await CheckingDisabledQuery.AskAsync(context.Dns, domain, QueryType.MX, cancellationToken).ConfigureAwait(false);
            result.Evidence("mxCheckingDisabled", withoutValidation?.Code.ToString());
            if (withoutValidation is { Code: DnsHeaderResponseCode.NoError or DnsHeaderResponseCode.NotExistentDomain } answered)
            {
                result.Add(DnssecFindingCodes.Bogus, Severity.Critical,
                    $"the DNSSEC chain of {domain} does not validate: validating resolvers answer SERVFAIL for its MX, while the answer is there with checking disabled (CD). "
                    + "Validating senders cannot find its mail servers: " + BogusCause(answered, context.Time.GetUtcNow()),
                    new Dictionary<string, object?>
                    {
                        ["query"] = $"MX {domain}",
                        ["withValidation"] = "SERVFAIL",
                        ["checkingDisabled"] = answered.Code.ToString(),
                        ["signaturesExpire"] = answered.SignaturesExpire?.ToString("u", System.Globalization.CultureInfo.InvariantCulture),
                    });
                return [result.Build()];
            }
        }

        if (result.AddLookupFailure(mx, "the MX lookup failed"))
        {
            return [result.Build()];
        }

        if (mx.Outcome == DnsOutcome.NxDomain)
        {
            // A name that does not exist is neither signed nor unsigned: the mx check says it is missing.
            result.Evidence("authenticated", mx.Authenticated);
            result.Evidence("exists", false);
            return [result.Build()];
        }

        var ds = context.Dns.QueryAsync(domain, QueryType.DS, cancellationToken);
        var keys = context.Dns.QueryAsync(domain, QueryType.DNSKEY, cancellationToken);
        var dsAnswer = await ds.ConfigureAwait(false);
        var keyAnswer = await keys.ConfigureAwait(false);
        var dsCount = dsAnswer.Of<DsRecord>().Count();
        var keyCount = keyAnswer.Of<DnsKeyRecord>().Count();
        result.Evidence("authenticated", mx.Authenticated);
        result.Evidence("ds", dsAnswer.Describe());
        result.Evidence("dnskey", keyAnswer.Describe());
        result.Metric("dsRecords", dsCount);
        result.Metric("dnskeyRecords", keyCount);
        // Only the verdict on "signed or not" needs these names; a failure leaves the rest standing.
        result.AddIncompleteLookup(dsAnswer, $"whether the parent of {domain} holds a DS record is unknown");
        result.AddIncompleteLookup(keyAnswer, $"whether {domain} publishes DNSKEY records is unknown");

        if (!mx.Authenticated)
        {
            if (dsCount == 0 && keyCount == 0 && dsAnswer.Answered && keyAnswer.Answered)
            {
                result.Add(DnssecFindingCodes.Unsigned, Severity.Info,
                    $"{domain} is not DNSSEC-signed (no DS at the parent, no DNSKEY, no validated answer): its DNS answers can be forged on the way, and DANE cannot be used");
            }
            else if (dsCount > 0 || keyCount > 0)
            {
                result.Add(DnssecFindingCodes.NotValidated, Severity.Info,
                    $"{domain} publishes {dsCount} DS and {keyCount} DNSKEY record(s), but the resolver did not validate its answers (no AD bit): "
                    + (dsCount == 0 ? "without a DS at the parent the signatures protect nothing. " : "")
                    + "Ask through a validating resolver to judge the chain");
            }
        }

        ReportSignatures(context, result, domain, [.. mx.Signatures, .. keyAnswer.Signatures]);
        return [result.Build()];
    }

    /// <summary>Why the chain fails, as far as the answer read with checking disabled shows it.</summary>
    private static string BogusCause(CheckingDisabledAnswer answer, DateTimeOffset now)
    {
        if (answer.SignaturesExpire is not { } first)
        {
            return "the answer carries no signature (a DS at the parent for a zone that is not signed, or signatures stripped on the way)";
        }

        return first <= now
            ? $"the signatures over its MX records expired at {first:u} (re-signing has stopped)"
            : $"its signatures are in date (until {first:u}), so the chain of trust is broken above them: a DS at the parent that matches no DNSKEY of the zone, or keys that do not sign its records";
    }

    private static void ReportSignatures(CheckContext context, CheckResultBuilder result, string domain, IReadOnlyList<RRSigRecord> signatures)
    {
        result.Metric("signatures", signatures.Count);
        if (signatures.Count == 0)
        {
            return;
        }

        var now = context.Time.GetUtcNow();
        var first = signatures.MinBy(s => s.SignatureExpiration)!;
        var expires = first.SignatureExpiration;
        result.Evidence("signaturesExpire", expires.ToString("u", System.Globalization.CultureInfo.InvariantCulture));
        var covered = first.CoveredType.ToString();
        if (expires <= now)
        {
            // Seen only through a resolver that does not validate: a validating one would have said SERVFAIL.
            result.Add(DnssecFindingCodes.Bogus, Severity.Critical,
                $"the RRSIG over the {covered} records of {domain} expired at {expires:u}: validating resolvers reject the answers, and validating senders cannot find its mail servers",
                new Dictionary<string, object?> { ["covers"] = covered, ["expiration"] = expires.ToString("u", System.Globalization.CultureInfo.InvariantCulture), ["keyTag"] = first.KeyTag });
        }
        else if (expires - now < ExpiryWarning)
        {
            var days = (expires - now).TotalDays;
            result.Add(DnssecFindingCodes.SignatureExpiring, Severity.Warning,
                $"the RRSIG over the {covered} records of {domain} expires at {expires:u}, in {days:0.#} days: when it does, validating senders can no longer resolve the domain. Check that the zone is re-signed",
                new Dictionary<string, object?> { ["covers"] = covered, ["expiration"] = expires.ToString("u", System.Globalization.CultureInfo.InvariantCulture), ["keyTag"] = first.KeyTag });
        }
    }
}
