using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MailHealth.Smtp;

/// <summary>
/// The trust judgments of <see cref="CertificateInspector"/>, remembered by what was judged: the
/// presented chain's bytes and the extra roots. Building a chain against the system store costs
/// about a millisecond of CPU (OpenSSL gets the whole store each time), while the same
/// certificate comes back every cycle, and from many hosts (a provider's MX hosts share one).
/// The judgment is a pure function of that input: validity dates are judged apart (expiry is its
/// own finding) and nothing is fetched, so a remembered one never goes stale within a process.
/// At most <see cref="DefaultCapacity"/> are kept; a full table starts again empty.
/// </summary>
internal sealed class TrustJudgments(int capacity = TrustJudgments.DefaultCapacity)
{
    public const int DefaultCapacity = 1024;

    private readonly ConcurrentDictionary<string, (bool Trusted, IReadOnlyList<string> Status)> _judged = new(StringComparer.Ordinal);

    /// <summary>The one table of the process.</summary>
    public static TrustJudgments Shared { get; } = new();

    public int Count => _judged.Count;

    public (bool Trusted, IReadOnlyList<string> Status) Judge(
        X509Certificate2 leaf,
        IReadOnlyList<X509Certificate2> intermediates,
        X509Certificate2Collection extraRoots,
        Func<(bool Trusted, IReadOnlyList<string> Status)> build)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        ArgumentNullException.ThrowIfNull(intermediates);
        ArgumentNullException.ThrowIfNull(extraRoots);
        ArgumentNullException.ThrowIfNull(build);
        var key = Key(leaf, intermediates, extraRoots);
        if (_judged.TryGetValue(key, out var judged))
        {
            return judged;
        }

        judged = build();
        if (_judged.Count >= capacity)
        {
            _judged.Clear();
        }

        _judged[key] = judged;
        return judged;
    }

    private static string Key(X509Certificate2 leaf, IReadOnlyList<X509Certificate2> intermediates, X509Certificate2Collection extraRoots)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(leaf.RawDataMemory.Span);
        foreach (var certificate in intermediates)
        {
            hash.AppendData("|i"u8);
            hash.AppendData(certificate.RawDataMemory.Span);
        }

        foreach (var root in extraRoots)
        {
            hash.AppendData("|r"u8);
            hash.AppendData(root.RawDataMemory.Span);
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }
}
