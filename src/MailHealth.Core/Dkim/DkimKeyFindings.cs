using MailHealth.Checks;

namespace MailHealth.Dkim;

/// <summary>What is wrong with the key records found at one selector, as findings.</summary>
public static class DkimKeyFindings
{
    /// <summary>RSA keys below this are not valid at all (RFC 8301 section 3.2).</summary>
    public const int MinimumRsaBits = 1024;

    /// <summary>RSA keys below this are a warning: signers SHOULD use 2048 bits (RFC 8301 section 3.2).</summary>
    public const int RecommendedRsaBits = 2048;

    public static IEnumerable<Finding> Inspect(string subject, string name, IReadOnlyList<DkimKeyRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            yield return new Finding(DkimFindingCodes.KeyMissing, Severity.Critical, subject,
                $"no DKIM key record at {name}: mail signed with selector '{subject}' fails DKIM");
            yield break;
        }

        if (records.Count > 1)
        {
            // RFC 6376 section 3.6.2.2: TXT RRs must be unique per selector; with several the result is undefined.
            yield return new Finding(DkimFindingCodes.MultipleRecords, Severity.Warning, subject,
                $"{records.Count} TXT records at {name}: verifiers may pick any of them, so verification is unpredictable",
                new Dictionary<string, object?> { ["records"] = records.Select(r => r.Text).ToList() });
        }

        foreach (var record in records)
        {
            foreach (var finding in InspectOne(subject, name, record))
            {
                yield return finding;
            }
        }
    }

    private static IEnumerable<Finding> InspectOne(string subject, string name, DkimKeyRecord record)
    {
        var evidence = new Dictionary<string, object?> { ["record"] = record.Text };
        if (record.Problems.Count > 0)
        {
            yield return new Finding(DkimFindingCodes.SyntaxError, Severity.Critical, subject,
                $"the key record at {name} is not usable: {string.Join("; ", record.Problems)}",
                new Dictionary<string, object?>(evidence) { ["problems"] = record.Problems });
        }

        if (record.IsRevoked)
        {
            yield return new Finding(DkimFindingCodes.KeyRevoked, Severity.Critical, subject,
                $"the key at {name} is revoked (empty p=): signatures with selector '{subject}' fail", evidence);
        }

        if (record.Key is { Type: DkimKeyTypes.Rsa, Bits: < RecommendedRsaBits } key)
        {
            var critical = key.Bits < MinimumRsaBits;
            yield return new Finding(DkimFindingCodes.KeyWeak, critical ? Severity.Critical : Severity.Warning, subject,
                critical
                    ? $"the RSA key at {name} has {key.Bits} bits: verifiers must reject signatures with keys under {MinimumRsaBits} bits (RFC 8301)"
                    : $"the RSA key at {name} has {key.Bits} bits; use at least {RecommendedRsaBits} (RFC 8301)",
                new Dictionary<string, object?>(evidence) { ["keyBits"] = key.Bits });
        }

        if (record.IsSha1Only)
        {
            yield return new Finding(DkimFindingCodes.KeySha1Only, Severity.Warning, subject,
                $"the key at {name} allows only sha1 (h={record.Tags["h"]}); RFC 8301 forbids rsa-sha1, so signatures with it fail", evidence);
        }

        if (record.IsNotForEmail)
        {
            yield return new Finding(DkimFindingCodes.KeyNotForEmail, Severity.Critical, subject,
                $"the key at {name} is restricted to s={record.Tags["s"]}: email verifiers must ignore it", evidence);
        }

        if (record.IsTesting)
        {
            yield return new Finding(DkimFindingCodes.TestingMode, Severity.Info, subject,
                $"the key at {name} is in testing mode (t=y): verifiers treat failures like unsigned mail", evidence);
        }
    }
}
