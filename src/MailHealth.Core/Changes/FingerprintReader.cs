using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using MailHealth.Checks;
using MailHealth.Dns;
using MailHealth.Reports;

namespace MailHealth.Changes;

/// <summary>
/// Builds a run's <see cref="RunFingerprint"/> from its report: the records, keys and certificates
/// the checks read, in canonical form, and the items they could not read (docs/changes.md).
/// </summary>
/// <remarks>
/// An item is read when the evidence that carries it is in the report: the checks write it only
/// after the lookup that found it succeeded, so a check that failed later (a report destination
/// that did not answer, port 25 not reachable for DANE) still fingerprints what it read. Without
/// that evidence the item is not published when its check ended well, and unread when its check
/// ended in error or is missing. When the mail hosts could not be found (the MX check failed and
/// the target names no hosts), every TLSA and certificate item is unread.
/// </remarks>
public static partial class FingerprintReader
{
    public static RunFingerprint Read(Report report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var checks = new Dictionary<string, CheckResult>(StringComparer.Ordinal);
        foreach (var check in report.Checks)
        {
            checks.TryAdd(check.Id, check);
        }

        var items = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var unread = new SortedSet<string>(StringComparer.Ordinal);
        var domain = Canonical.Name(report.Target.Domain);

        void Single(string item, CheckResult? check, string? value)
        {
            if (value is not null)
            {
                items[item] = value;
            }
            else if (check is null || check.Status == CheckStatus.Error)
            {
                unread.Add(item);
            }
        }

        var mx = checks.GetValueOrDefault(FingerprintItems.Mx);
        Single(FingerprintItems.Mx, mx, mx is null ? null : MxValue(mx, domain));
        if (report.Target.Hosts.Count == 0 && unread.Contains(FingerprintItems.Mx))
        {
            // No hosts known: their TLSA records and certificates were not looked at, not removed.
            unread.Add(FingerprintItems.TlsaPrefix + "*");
            unread.Add(FingerprintItems.CertPrefix + "*");
        }

        var spf = checks.GetValueOrDefault(FingerprintItems.Spf);
        Single(FingerprintItems.Spf, spf, spf is null ? null : SpfValue(spf));

        var dmarc = checks.GetValueOrDefault(FingerprintItems.Dmarc);
        Single(FingerprintItems.Dmarc, dmarc, dmarc is null ? null : EvidenceJson.String(dmarc, "record") is { } text ? TagRecord(text) : null);

        var tlsRpt = checks.GetValueOrDefault(FingerprintItems.TlsRpt);
        Single(FingerprintItems.TlsRpt, tlsRpt, tlsRpt is null ? null : Records(tlsRpt, TagRecord));

        ReadMtaSts(checks.GetValueOrDefault(FingerprintItems.MtaSts), domain, items, unread);

        foreach (var check in report.Checks)
        {
            if (check.Id == check.Kind && check.Status == CheckStatus.Error && FamilyOf(check.Kind) is { } family)
            {
                // The whole kind failed (it threw, or DKIM selector discovery got no answer): none
                // of its items was read.
                unread.Add(family + "*");
            }

            switch (check.Kind)
            {
                case "dkim" when check.Id == "dkim":
                    foreach (var selector in (EvidenceJson.Strings(check, "unansweredSelectors") ?? []).Concat(EvidenceJson.Strings(check, "uncheckedSelectors") ?? []))
                    {
                        unread.Add(FingerprintItems.Dkim(selector));
                    }

                    break;
                case "dkim":
                    Single(FingerprintItems.Dkim(check.Subject), check, DkimValue(check));
                    break;
                case "dane":
                    Single(FingerprintItems.Tlsa(check.Subject), check, TlsaValue(check));
                    break;
                case "smtp" when HostPort(check.Subject) is { } endpoint:
                    ReadSmtpCertificate(check, FingerprintItems.Cert(endpoint.Host, endpoint.Port), items, unread);
                    break;
            }
        }

        return new RunFingerprint(items) { Unread = unread };
    }

    /// <summary>The family of items that checks of <paramref name="kind"/> read, one check per item.</summary>
    private static string? FamilyOf(string kind) => kind switch
    {
        "smtp" => FingerprintItems.CertPrefix,
        "dane" => FingerprintItems.TlsaPrefix,
        "dkim" => FingerprintItems.DkimPrefix,
        _ => null,
    };

    private static string? MxValue(CheckResult check, string domain)
    {
        if (EvidenceJson.Array(check, "records") is { Count: > 0 } records)
        {
            var set = records
                .Select(r => (Preference: int.TryParse(EvidenceJson.Property(r, "preference"), CultureInfo.InvariantCulture, out var p) ? p : 0,
                    Exchange: EvidenceJson.Property(r, "exchange") is "." ? "." : Canonical.Name(EvidenceJson.Property(r, "exchange"))))
                .Distinct()
                .OrderBy(r => r.Preference)
                .ThenBy(r => r.Exchange, StringComparer.Ordinal)
                .Select(r => $"{r.Preference} {r.Exchange}");
            return string.Join(", ", set);
        }

        // RFC 5321 section 5.1: no MX, the domain itself receives.
        return EvidenceJson.Bool(check, "implicitMx") == true ? $"{ImplicitMxMark} {domain}" : null;
    }

    /// <summary>The MX set's entry for a domain without MX records that receives at its own address.</summary>
    internal const string ImplicitMxMark = "(implicit)";

    private static string? SpfValue(CheckResult check) =>
        EvidenceJson.String(check, "record") is { } record ? Collapse(record) : Records(check, Collapse);

    /// <summary>Every record of a "records" list, canonical, sorted; null when the list is missing or empty.</summary>
    private static string? Records(CheckResult check, Func<string, string> canonical) =>
        EvidenceJson.Strings(check, "records") is { Count: > 0 } records
            ? string.Join(RecordSeparator, records.Select(canonical).Distinct().Order(StringComparer.Ordinal))
            : null;

    /// <summary>Between the records of an item that has several (a broken setup, but one that can change).</summary>
    internal const string RecordSeparator = " | ";

    private static void ReadMtaSts(CheckResult? check, string domain, SortedDictionary<string, string> items, SortedSet<string> unread)
    {
        var certificate = FingerprintItems.Cert("mta-sts." + domain, 443);
        if (check is null)
        {
            unread.UnionWith([FingerprintItems.MtaSts, FingerprintItems.MtaStsPolicy, certificate]);
            return;
        }

        var records = EvidenceJson.Strings(check, "records");
        if (records is null)
        {
            // The record lookup itself failed.
            unread.UnionWith([FingerprintItems.MtaSts, FingerprintItems.MtaStsPolicy, certificate]);
            return;
        }

        if (records.Count > 0)
        {
            items[FingerprintItems.MtaSts] = string.Join(RecordSeparator, records.Select(TagRecord).Distinct().Order(StringComparer.Ordinal));
        }

        // A valid record (its id in evidence) sends senders to the policy host; without one, there is no policy to read.
        var policyExpected = EvidenceJson.String(check, "id") is not null;
        if (EvidenceJson.String(check, "policy") is { } policy)
        {
            items[FingerprintItems.MtaStsPolicy] = PolicyText(policy);
        }
        else if (policyExpected)
        {
            unread.Add(FingerprintItems.MtaStsPolicy);
        }

        if (CertificateValue(check) is { } value)
        {
            items[certificate] = value;
        }
        else if (policyExpected)
        {
            unread.Add(certificate);
        }
    }

    private static string? DkimValue(CheckResult check)
    {
        if (EvidenceJson.Array(check, "records") is not { Count: > 0 } records)
        {
            return null;
        }

        var keys = records.Select(r =>
        {
            if (EvidenceJson.Property(r, "revoked") == "true")
            {
                return DkimRevoked;
            }

            var type = EvidenceJson.Property(r, "keyType") ?? "?";
            var bits = EvidenceJson.Property(r, "keyBits") ?? "?";
            var sha = EvidenceJson.Property(r, "keySha256") ?? "?";
            return $"{type} {bits} sha256:{sha}";
        });
        return string.Join(RecordSeparator, keys.Distinct().Order(StringComparer.Ordinal));
    }

    /// <summary>The value of a selector whose key record has an empty p= (RFC 6376 section 3.6.1).</summary>
    internal const string DkimRevoked = "revoked";

    private static string? TlsaValue(CheckResult check)
    {
        if (EvidenceJson.Strings(check, "tlsa") is not { Count: > 0 } records)
        {
            return null;
        }

        var canonical = records.Select(r =>
        {
            var parts = Whitespace().Split(r.Trim());
            return parts.Length == 4 ? $"{parts[0]} {parts[1]} {parts[2]} {parts[3].ToUpperInvariant()}" : Collapse(r);
        });
        return string.Join(", ", canonical.Distinct().Order(StringComparer.Ordinal));
    }

    private static void ReadSmtpCertificate(CheckResult check, string item, SortedDictionary<string, string> items, SortedSet<string> unread)
    {
        if (CertificateValue(check) is { } value)
        {
            items[item] = value;
            return;
        }

        // No certificate is news only from a conversation that went as far as it could: connected,
        // nothing broke, and no TLS offered (STARTTLS withdrawn). Anything else leaves it unknown.
        var completed = check.Status != CheckStatus.Error
            && EvidenceJson.Bool(check, "connected") == true
            && EvidenceJson.Get(check, "failure") is null;
        if (!completed)
        {
            unread.Add(item);
        }
    }

    private static string? CertificateValue(CheckResult check)
    {
        if (EvidenceJson.Get(check, "certificate") is not { } certificate
            || EvidenceJson.Property(certificate, "sha256") is not { Length: > 0 } sha
            || !DateTimeOffset.TryParse(EvidenceJson.Property(certificate, "notAfter"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var notAfter))
        {
            return null;
        }

        return $"sha256={sha.ToLowerInvariant()}; notAfter={notAfter.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}";
    }

    private static (string Host, int Port)? HostPort(string subject)
    {
        var colon = subject.LastIndexOf(':');
        return colon > 0 && int.TryParse(subject.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            ? (subject[..colon], port)
            : null;
    }

    /// <summary>Trimmed, every run of whitespace one space.</summary>
    internal static string Collapse(string text) => Whitespace().Replace(text.Trim(), " ");

    /// <summary>A <c>tag=value; ...</c> record (DMARC, MTA-STS, TLS-RPT) in one form: <c>v=DMARC1; p=none</c>.</summary>
    internal static string TagRecord(string text) => string.Join("; ", text.Split(';')
        .Select(part => part.Trim())
        .Where(part => part.Length > 0)
        .Select(part => part.IndexOf('=', StringComparison.Ordinal) is var eq and > 0
            ? $"{part[..eq].Trim()}={Collapse(part[(eq + 1)..])}"
            : Collapse(part)));

    /// <summary>An MTA-STS policy (RFC 8461 section 3.2) as its <c>key: value</c> lines, sorted, joined with <c>"; "</c>.</summary>
    internal static string PolicyText(string text) => string.Join("; ", text.Split('\n')
        .Select(line => line.Trim())
        .Where(line => line.Length > 0)
        .Select(line => line.IndexOf(':', StringComparison.Ordinal) is var colon and > 0
            ? $"{line[..colon].Trim()}: {Collapse(line[(colon + 1)..])}"
            : Collapse(line))
        .Order(StringComparer.Ordinal));

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
