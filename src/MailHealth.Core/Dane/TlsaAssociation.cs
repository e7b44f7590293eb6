using DnsClient.Protocol;

namespace MailHealth.Dane;

/// <summary>One TLSA record's certificate association (RFC 6698 section 2.1), names from RFC 7218.</summary>
public sealed record TlsaAssociation(byte Usage, byte Selector, byte MatchingType, byte[] Data)
{
    public static TlsaAssociation From(TlsaRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new((byte)record.CertificateUsage, (byte)record.Selector, (byte)record.MatchingType, [.. record.CertificateAssociationData]);
    }

    /// <summary>Why a DANE SMTP client cannot use this record (null when it can), and whether it is just a PKIX usage.</summary>
    public (string Reason, bool PkixUsage)? Problem()
    {
        // RFC 7672 section 3.1.3: PKIX-TA(0) and PKIX-EE(1) are unusable for SMTP.
        if (Usage is 0 or 1)
        {
            return ($"{UsageName} ({Usage}) is unusable for SMTP (RFC 7672 section 3.1.3)", true);
        }

        if (Usage is not (2 or 3))
        {
            return ($"unknown certificate usage {Usage}", false);
        }

        if (Selector is not (0 or 1))
        {
            return ($"unknown selector {Selector}", false);
        }

        // RFC 6698 section 2.1.3: SHA-256 data is 32 bytes, SHA-512 data 64.
        return MatchingType switch
        {
            0 when Data.Length == 0 => ("Full(0) with no certificate data", false),
            1 when Data.Length != 32 => ($"SHA2-256(1) data is {Data.Length} bytes, not 32", false),
            2 when Data.Length != 64 => ($"SHA2-512(2) data is {Data.Length} bytes, not 64", false),
            0 or 1 or 2 => null,
            _ => ($"unknown matching type {MatchingType}", false),
        };
    }

    public string UsageName => Usage switch
    {
        0 => "PKIX-TA",
        1 => "PKIX-EE",
        2 => "DANE-TA",
        3 => "DANE-EE",
        _ => "usage " + Usage,
    };

    /// <summary>The presentation form, as in a zone file: <c>3 1 1 ABCD...</c>.</summary>
    public override string ToString() => $"{Usage} {Selector} {MatchingType} {Convert.ToHexString(Data)}";
}
