namespace MailHealth.Dmarc;

/// <summary>
/// The policy receivers apply to mail from <see cref="Subject"/>: which record, found where, which
/// tag decided, and the policy (null: DMARC does not apply at all).
/// </summary>
public sealed record DmarcEffectivePolicy(
    string Subject,
    string? PolicyDomain,
    DmarcRecord? Record,
    string? Tag,
    DmarcPolicy? Policy,
    string? OrganizationalDomain,
    string Explanation)
{
    public static DmarcEffectivePolicy NotFound(string subject) =>
        new(subject, null, null, null, null, null, "no DMARC Policy Record applies");

    /// <summary>
    /// The policy a record gives for <paramref name="tag"/> p, sp or np, with the fall-backs of
    /// RFC 9989 section 4.7 (np to sp to p) and section 4.10.1 (an invalid p, sp or np is p=none
    /// when rua holds a valid URI, else no DMARC processing).
    /// </summary>
    public static DmarcEffectivePolicy From(string subject, string policyDomain, DmarcRecord record, string tag, string? organizationalDomain = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!record.HasValidPolicyTags)
        {
            return record.HasValidAggregateUri
                ? new(subject, policyDomain, record, "p", DmarcPolicy.None, organizationalDomain,
                    "p is missing or p/sp/np invalid; rua is valid, so receivers act as if p=none")
                : new(subject, policyDomain, record, "p", null, organizationalDomain,
                    "p is missing or p/sp/np invalid and rua has no valid URI: receivers apply no DMARC processing");
        }

        var (decidingTag, policy) = tag switch
        {
            "np" when record.NonExistentPolicy is { } np => ("np", np),
            "np" or "sp" when record.SubdomainPolicy is { } sp => ("sp", sp),
            _ => ("p", record.Policy!.Value),
        };
        return new(subject, policyDomain, record, decidingTag, policy, organizationalDomain,
            $"{decidingTag}={DmarcRecord.Name(policy)} of the record at _dmarc.{policyDomain}");
    }

    /// <summary>The policy receivers actually apply: one level weaker under t=y (RFC 9989 section 4.7).</summary>
    public DmarcPolicy? Applied => Policy is { } policy && Record is { Testing: true } && policy != DmarcPolicy.None
        ? policy - 1
        : Policy;

    public object ToEvidence() => new Dictionary<string, object?>
    {
        ["appliesTo"] = Subject,
        ["policy"] = Policy is { } policy ? DmarcRecord.Name(policy) : null,
        ["applied"] = Applied is { } applied ? DmarcRecord.Name(applied) : null,
        ["tag"] = Tag,
        ["recordAt"] = PolicyDomain is null ? null : DmarcTreeWalk.RecordName(PolicyDomain),
        ["organizationalDomain"] = OrganizationalDomain,
        ["explanation"] = Explanation,
    };
}
