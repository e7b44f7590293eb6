using System.Security.Cryptography;

namespace MailHealth.Dkim;

/// <summary>
/// One DKIM key record (RFC 6376 section 3.6.1) as published at <c>selector._domainkey.domain</c>:
/// its tags with their defaults, the decoded key, and every problem that makes verifiers discard
/// or misread it. Unknown tags are kept in <see cref="Tags"/> and otherwise ignored.
/// </summary>
public sealed class DkimKeyRecord
{
    /// <summary>The only version there is (RFC 6376 section 3.6.1, v=).</summary>
    public const string Version1 = "DKIM1";

    private DkimKeyRecord(string text, TagList tags)
    {
        Text = text;
        Tags = tags;
    }

    public string Text { get; }

    public TagList Tags { get; }

    /// <summary>v=, or null when absent (it is only RECOMMENDED).</summary>
    public string? Version => Tags["v"];

    /// <summary>k=, default rsa.</summary>
    public string KeyType => Tags["k"] ?? DkimKeyTypes.Rsa;

    /// <summary>p= with its whitespace removed; null when the tag is missing, empty when revoked.</summary>
    public string? PublicKeyData => Tags["p"] is { } p ? TagList.RemoveWhitespace(p) : null;

    /// <summary>An empty p= revokes the key (RFC 6376 section 3.6.1).</summary>
    public bool IsRevoked => PublicKeyData is { Length: 0 };

    /// <summary>h=: the hash algorithms the key may be used with; empty means all.</summary>
    public IReadOnlyList<string> HashAlgorithms => Tags["h"] is { } h ? TagList.SplitList(h) : [];

    /// <summary>s=: service types, default "*".</summary>
    public IReadOnlyList<string> ServiceTypes => Tags["s"] is { } s ? TagList.SplitList(s) : ["*"];

    /// <summary>t=: flags (y testing, s strict); unknown flags are ignored.</summary>
    public IReadOnlyList<string> Flags => Tags["t"] is { } t ? TagList.SplitList(t) : [];

    /// <summary>n=: notes for people.</summary>
    public string? Notes => Tags["n"];

    public DkimPublicKey? Key { get; private init; }

    /// <summary>
    /// SHA-256 (lower-case hex) of the decoded p= data, so two runs can tell a replaced key from the
    /// same key republished with other folding or tags; null when p= is missing, empty or not base64.
    /// </summary>
    public string? KeySha256 => PublicKeyData is { Length: > 0 } data && TryDecodeBase64(data) is { } bytes
        ? Convert.ToHexStringLower(SHA256.HashData(bytes))
        : null;

    /// <summary>Why verifiers would discard this record or fail to use its key; empty when usable.</summary>
    public IReadOnlyList<string> Problems { get; private init; } = [];

    public bool IsTesting => Flags.Contains("y");

    public bool IsStrict => Flags.Contains("s");

    /// <summary>
    /// h= allows only sha1: RFC 8301 section 3.1 forbids rsa-sha1, and ed25519 signs with sha256
    /// (RFC 8463 section 3), so no signature a current verifier accepts can use this key.
    /// </summary>
    public bool IsSha1Only
    {
        get
        {
            var known = HashAlgorithms.Where(IsKnownHash).ToList();
            return known.Count > 0 && known.All(h => h == "sha1");
        }
    }

    /// <summary>s= names neither email nor "*": verifiers of email must ignore the record.</summary>
    public bool IsNotForEmail => !ServiceTypes.Any(s => s is "*" or "email");

    /// <summary>
    /// True when the text is meant as a key record: it starts with v=DKIM1 or has a p= tag.
    /// Used to tell a key from an unrelated TXT (a wildcard SPF record) when probing selectors.
    /// </summary>
    public bool LooksLikeKeyRecord => Tags.FirstName == "v" && Version == Version1 || Tags.Contains("p");

    public static DkimKeyRecord Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tags = TagList.Parse(text);
        var record = new DkimKeyRecord(text, tags);
        var problems = new List<string>(tags.Problems);

        if (tags.Contains("v") && tags.FirstName != "v")
        {
            problems.Add("v= must be the first tag (RFC 6376 section 3.6.1)");
        }

        if (record.Version is { } version && version != Version1)
        {
            problems.Add($"v={version} is not {Version1}: verifiers discard the record");
        }

        if (!DkimKeyTypes.IsKnown(record.KeyType))
        {
            problems.Add($"unknown key type k={record.KeyType} (known: {DkimKeyTypes.Rsa}, {DkimKeyTypes.Ed25519})");
        }

        if (tags["h"] is not null && !record.HashAlgorithms.Any(IsKnownHash))
        {
            problems.Add($"h={tags["h"]} names no hash algorithm verifiers know (sha256)");
        }

        DkimPublicKey? key = null;
        if (record.PublicKeyData is null)
        {
            problems.Add("no p= tag: the public key is required");
        }
        else if (!record.IsRevoked && DkimKeyTypes.IsKnown(record.KeyType))
        {
            key = DkimPublicKey.TryDecode(record.KeyType, record.PublicKeyData, out var keyProblem);
            if (keyProblem is not null)
            {
                problems.Add(keyProblem);
            }
        }

        return new DkimKeyRecord(text, tags) { Key = key, Problems = problems };
    }

    /// <summary>The parsed record for a report: the text, every tag, and the key's type and size.</summary>
    public IReadOnlyDictionary<string, object?> ToEvidence() => new Dictionary<string, object?>
    {
        ["text"] = Text,
        ["tags"] = Tags.Tags.ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal),
        ["keyType"] = KeyType,
        ["keyBits"] = Key?.Bits,
        ["keyFormat"] = Key?.Format,
        ["keySha256"] = KeySha256,
        ["revoked"] = IsRevoked,
        ["testing"] = IsTesting,
        ["strict"] = IsStrict,
        ["hashAlgorithms"] = HashAlgorithms.Count > 0 ? HashAlgorithms : null,
        ["serviceTypes"] = ServiceTypes,
        ["problems"] = Problems.Count > 0 ? Problems : null,
    };

    private static bool IsKnownHash(string name) => name is "sha1" or "sha256";

    private static byte[]? TryDecodeBase64(string data)
    {
        var buffer = new byte[data.Length];
        return Convert.TryFromBase64String(data, buffer, out var written) ? buffer[..written] : null;
    }
}
