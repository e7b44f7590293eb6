using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace MailHealth.Bimi;

/// <summary>
/// The a= evidence document: a PEM chain whose first certificate is the Verified or Common Mark
/// Certificate. Checked here: it parses, it is within its dates, and it carries the logotype
/// extension (RFC 3709, id-pe-logotype) with the mark. Its chain to a mark issuer is not judged.
/// </summary>
public static class MarkCertificateInspector
{
    /// <summary>id-pe-logotype (RFC 3709 section 4.1).</summary>
    public const string LogotypeOid = "1.3.6.1.5.5.7.1.12";

    /// <summary>id-kp-BrandIndicatorforMessageIdentification, the extended key usage of mark certificates.</summary>
    public const string BimiKeyUsageOid = "1.3.6.1.5.5.7.3.31";

    public sealed record Inspection(IReadOnlyList<string> Problems, string? Subject, DateTimeOffset? NotAfter, int Certificates);

    public static Inspection Inspect(byte[] pem, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(pem);
        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPem(Encoding.ASCII.GetString(pem));
        }
        catch (CryptographicException e)
        {
            return new Inspection([$"it is not a PEM certificate chain: {e.Message}"], null, null, 0);
        }

        try
        {
            if (certificates.Count == 0)
            {
                return new Inspection(["it holds no PEM certificate"], null, null, 0);
            }

            var mark = certificates[0];
            var problems = new List<string>();
            if (mark.NotAfter.ToUniversalTime() < now.UtcDateTime)
            {
                problems.Add($"the mark certificate expired on {mark.NotAfter.ToUniversalTime():yyyy-MM-dd}");
            }
            else if (mark.NotBefore.ToUniversalTime() > now.UtcDateTime)
            {
                problems.Add($"the mark certificate is not valid before {mark.NotBefore.ToUniversalTime():yyyy-MM-dd}");
            }

            if (mark.Extensions[LogotypeOid] is null)
            {
                problems.Add("the first certificate has no logotype extension (RFC 3709): it is not a mark certificate");
            }

            var usages = mark.Extensions.OfType<X509EnhancedKeyUsageExtension>().SelectMany(e => e.EnhancedKeyUsages.Cast<Oid>()).Select(o => o.Value).ToList();
            if (!usages.Contains(BimiKeyUsageOid))
            {
                problems.Add("the first certificate lacks the BIMI extended key usage (1.3.6.1.5.5.7.3.31)");
            }

            return new Inspection(problems, mark.Subject, new DateTimeOffset(mark.NotAfter.ToUniversalTime()), certificates.Count);
        }
        finally
        {
            foreach (var certificate in certificates)
            {
                certificate.Dispose();
            }
        }
    }
}
