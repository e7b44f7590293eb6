namespace MailHealth.Blocklists;

/// <summary>
/// What the run learned about one zone before asking it about any address: its kind (from the
/// catalog or from its test entries) and, per family of questions, whether it can be trusted.
/// Asked once per zone per run, never per address.
/// </summary>
public sealed record ZoneHealth(BlocklistZone Zone, BlocklistKind? Kind, IReadOnlyList<ZoneTest> Tests)
{
    public ZoneTest? Test(ZoneTestFamily family) => Tests.FirstOrDefault(t => t.Family == family);

    /// <summary>True when questions of that family may be asked and their answers believed.</summary>
    public bool IsUsable(ZoneTestFamily family) =>
        Kind == (family == ZoneTestFamily.Domain ? BlocklistKind.Domain : BlocklistKind.Ip)
        && Test(family)?.State == ZoneState.Usable;
}
