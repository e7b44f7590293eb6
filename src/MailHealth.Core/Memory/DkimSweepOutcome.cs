namespace MailHealth.Memory;

/// <summary>How a DKIM selector sweep ended.</summary>
public enum DkimSweepOutcome
{
    /// <summary>At least one common selector has a key.</summary>
    Found,

    /// <summary>Every common selector was asked; none has a key.</summary>
    NoneFound,

    /// <summary><c>_domainkey.DOMAIN</c> does not exist, so no selector does (RFC 8020), and the guard agreed.</summary>
    NoDomainKey,

    /// <summary>A question the verdict rests on got no answer: nothing is known.</summary>
    Unanswered,
}
