namespace MailHealth.Spf;

/// <summary>Where a record fails the RFC 7208 section 12 grammar.</summary>
/// <param name="Term">The offending term, as written.</param>
/// <param name="Position">1-based character position in the record text where the problem is.</param>
/// <param name="Message">What is wrong.</param>
public sealed record SpfSyntaxError(string Term, int Position, string Message)
{
    public override string ToString() => $"'{Term}' at character {Position}: {Message}";
}
