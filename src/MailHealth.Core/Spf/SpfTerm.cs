using System.Net;

namespace MailHealth.Spf;

/// <summary>One term of a record (RFC 7208 section 4.6.1): a mechanism or a modifier.</summary>
/// <param name="Text">The term as written.</param>
/// <param name="Position">1-based character position of the term in the record text.</param>
public abstract record SpfTerm(string Text, int Position)
{
    /// <summary>True for the terms that cost a DNS lookup (RFC 7208 section 4.6.4).</summary>
    public abstract bool QueriesDns { get; }
}

/// <summary>A mechanism with its qualifier and arguments (RFC 7208 section 5).</summary>
public sealed record SpfMechanism(
    string Text,
    int Position,
    SpfQualifier Qualifier,
    SpfMechanismKind Kind,
    SpfMacroString? Domain = null,
    IPAddress? Network = null,
    int? Cidr4 = null,
    int? Cidr6 = null) : SpfTerm(Text, Position)
{
    public override bool QueriesDns => Kind is SpfMechanismKind.Include or SpfMechanismKind.A or SpfMechanismKind.Mx
        or SpfMechanismKind.Ptr or SpfMechanismKind.Exists;
}

/// <summary>A modifier: redirect, exp, or an unknown one that is ignored (RFC 7208 section 6).</summary>
public sealed record SpfModifier(string Text, int Position, string Name, SpfMacroString Value) : SpfTerm(Text, Position)
{
    public const string Redirect = "redirect";
    public const string Explanation = "exp";

    public override bool QueriesDns => Name == Redirect;
}
