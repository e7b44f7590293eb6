namespace MailHealth.Spf;

/// <summary>
/// The mechanism that decided an evaluation (RFC 7208 section 4.6.2: the first that matches),
/// and the include and redirect terms that led to the record holding it, from the top record
/// down: a pass through <c>include:_spf.google.com</c> whose own include matched
/// <c>ip4:209.85.128.0/17</c> has <see cref="Path"/> [<c>include:_spf.google.com</c>,
/// <c>include:_netblocks.google.com</c>] and <see cref="Mechanism"/> <c>ip4:209.85.128.0/17</c>.
/// </summary>
/// <param name="Mechanism">The matching mechanism as written, qualifier included ("-all").</param>
/// <param name="Domain">The domain whose record holds it.</param>
/// <param name="Path">The include (section 5.2) and redirect (section 6.1) terms followed to reach it, as written; empty when it is in the top record.</param>
public sealed record SpfMatch(string Mechanism, string Domain, IReadOnlyList<string> Path)
{
    /// <summary>The term of the top record the result comes from: the first of <see cref="Path"/>, or the mechanism itself.</summary>
    public string TopTerm => Path.Count > 0 ? Path[0] : Mechanism;

    /// <summary>The same match reached through one more term of an outer record.</summary>
    internal SpfMatch Through(string term) => this with { Path = [term, .. Path] };
}
