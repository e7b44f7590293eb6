namespace MailHealth.Testing.Dns;

/// <summary>
/// In-memory DNS data for a <see cref="ScriptedDnsServer"/>: per name, an ordered list of records
/// and "timeout" markers. A question for a type that has no record before the first marker is
/// dropped (the client times out); records before a marker are answered. A name not present is
/// NXDOMAIN; a present name without the asked type is NOERROR with no answer.
/// </summary>
public sealed class ScriptedZone
{
    private readonly Dictionary<string, List<ScriptedRecord?>> _names = new(StringComparer.OrdinalIgnoreCase);

    public ScriptedZone Add(string name, ScriptedRecord record)
    {
        Entries(name).Add(record);
        return this;
    }

    /// <summary>Questions about <paramref name="name"/> are dropped unless a record of the asked type came first.</summary>
    public ScriptedZone Timeout(string name)
    {
        Entries(name).Add(null);
        return this;
    }

    /// <summary>Questions about <paramref name="name"/> get SERVFAIL unless a record of the asked type came first.</summary>
    public ScriptedZone ServerFailure(string name)
    {
        Entries(name).Add(ScriptedRecord.ServerFailureMarker);
        return this;
    }

    /// <summary>Questions about <paramref name="name"/> get a reply that is not a DNS message (the query id, then junk).</summary>
    public ScriptedZone Garbage(string name)
    {
        Entries(name).Add(ScriptedRecord.GarbageMarker);
        return this;
    }

    /// <summary>Makes the name exist (NOERROR, no data) without giving it records.</summary>
    public ScriptedZone Touch(string name)
    {
        Entries(name);
        return this;
    }

    public bool Contains(string name) => _names.ContainsKey(Normalize(name));

    public IReadOnlyList<ScriptedRecord?> EntriesOf(string name) =>
        _names.TryGetValue(Normalize(name), out var list) ? list : [];

    private List<ScriptedRecord?> Entries(string name)
    {
        var key = Normalize(name);
        if (!_names.TryGetValue(key, out var list))
        {
            list = [];
            _names[key] = list;
        }

        return list;
    }

    private static string Normalize(string name) => name.TrimEnd('.');
}
