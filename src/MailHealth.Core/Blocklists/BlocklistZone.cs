namespace MailHealth.Blocklists;

/// <summary>
/// A blocklist zone and what its answers mean. <see cref="Meanings"/> maps a listing's return code
/// (an address in 127.0.0.0/8, RFC 5782 section 2.1) to what it says; <see cref="ErrorCodes"/>
/// maps the codes the zone uses to refuse a question, which are never listings.
/// </summary>
public sealed record BlocklistZone
{
    public required string Name { get; init; }

    /// <summary>What the zone lists; null when not known in advance (found from its test entries).</summary>
    public BlocklistKind? Kind { get; init; }

    /// <summary>Who runs the list and what it is for, for the report.</summary>
    public string Description { get; init; } = "";

    public IReadOnlyDictionary<string, string> Meanings { get; init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> ErrorCodes { get; init; } = new Dictionary<string, string>();

    /// <summary>A zone known by name only: its kind is found from its test entries, its codes are not interpreted.</summary>
    public static BlocklistZone Unknown(string name) => new() { Name = name };
}
