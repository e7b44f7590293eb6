namespace MailHealth.Spf;

/// <summary>Why an evaluation ended in permerror or temperror, for the lint to name the cause.</summary>
public enum SpfProblem
{
    None,
    MultipleRecords,
    SyntaxError,
    TooManyLookups,
    TooManyVoidLookups,
    TooManyMxNames,
    IncludeLoop,
    IncludedDomainHasNoRecord,
    DnsError,
}
