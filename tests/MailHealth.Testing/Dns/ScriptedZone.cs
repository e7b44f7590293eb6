namespace MailHealth.Testing.Dns;

/// <summary>
/// In-memory DNS data for a <see cref="ScriptedDnsServer"/>: per name, an ordered list of records
/// and <see cref="DnsFault"/>s. A question is answered with the records of its type that come
/// before the name's first fault; with none, the fault is played. A name not present is NXDOMAIN
/// (or <see cref="Otherwise"/>); a present name without the asked type is NOERROR with no answer.
/// </summary>
public sealed class ScriptedZone
{
    // RFC 1034 section 3.6.2 lets a chain be long; this bound only stops a scripted CNAME loop.
    private const int MaxAliasHops = 16;
    private readonly Dictionary<string, List<Entry>> _names = new(StringComparer.OrdinalIgnoreCase);
    // Tests edit a zone while its server answers (a record changed between two runs).
    private readonly Lock _gate = new();
    private DnsFault? _otherwise;

    public ScriptedZone Add(string name, ScriptedRecord record)
    {
        lock (_gate)
        {
            Entries(name).Add(new Entry(record, null));
        }

        return this;
    }

    /// <summary>Replaces every record and fault of <paramref name="name"/> (a zone edited between two runs of a scenario).</summary>
    public ScriptedZone Set(string name, params ScriptedRecord[] records)
    {
        lock (_gate)
        {
            var entries = Entries(name);
            entries.Clear();
            entries.AddRange(records.Select(r => new Entry(r, null)));
        }

        return this;
    }

    /// <summary>Questions about <paramref name="name"/> get <paramref name="fault"/> unless a record of the asked type came first.</summary>
    public ScriptedZone Fault(string name, DnsFault fault)
    {
        lock (_gate)
        {
            Entries(name).Add(new Entry(null, fault));
        }

        return this;
    }

    /// <summary>Questions about <paramref name="name"/> are dropped (the client times out) unless a record of the asked type came first.</summary>
    public ScriptedZone Timeout(string name) => Fault(name, DnsFault.Drop);

    /// <summary>Makes the name exist (NOERROR, no data) without giving it records.</summary>
    public ScriptedZone Touch(string name)
    {
        lock (_gate)
        {
            Entries(name);
        }

        return this;
    }

    /// <summary>Questions about names the zone does not hold get <paramref name="fault"/> instead of NXDOMAIN.</summary>
    public ScriptedZone Otherwise(DnsFault fault)
    {
        lock (_gate)
        {
            _otherwise = fault;
        }

        return this;
    }

    internal ScriptedAnswer Answer(string name, ushort type)
    {
        lock (_gate)
        {
            return AnswerLocked(name, type);
        }
    }

    private ScriptedAnswer AnswerLocked(string name, ushort type)
    {
        var answers = new List<(string Owner, ScriptedRecord Record)>();
        var current = name;
        for (var hop = 0; hop < MaxAliasHops; hop++)
        {
            if (!_names.TryGetValue(Normalize(current), out var entries))
            {
                return _otherwise is { } fault ? new ScriptedAnswer(0, [], fault) : new ScriptedAnswer(3, answers);
            }

            // RFC 1034 section 3.6.2: an alias answers every type but CNAME itself; follow it.
            var alias = type != ScriptedRecord.TypeCname ? entries.FirstOrDefault(e => e.Record?.Type == ScriptedRecord.TypeCname)?.Record : null;
            if (alias is not null)
            {
                answers.Add((current, alias));
                current = alias.Alias!;
                continue;
            }

            var found = false;
            foreach (var entry in entries)
            {
                if (entry.Fault is { } fault)
                {
                    if (!found)
                    {
                        return new ScriptedAnswer(0, [], fault);
                    }

                    break;
                }

                if (entry.Record!.Type == type)
                {
                    found = true;
                    answers.Add((current, entry.Record));
                }
            }

            break;
        }

        return new ScriptedAnswer(0, answers);
    }

    private List<Entry> Entries(string name)
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

    // Exactly one of the two is set.
    private sealed record Entry(ScriptedRecord? Record, DnsFault? Fault);
}
