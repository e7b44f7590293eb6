using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace MailHealth.Monitor.Api;

/// <summary>
/// Strong entity tags made from content (RFC 9110 section 8.8.3): a digest of the bytes, so two
/// answers carry the same tag exactly when they are the same bytes, in whichever process made
/// them; and the <c>If-None-Match</c> test (section 13.1.2) that turns a request for what the
/// caller already holds into a 304.
/// </summary>
public static class EntityTags
{
    /// <summary>Digest characters kept: 162 bits, far beyond any collision among a monitor's answers.</summary>
    private const int Length = 27;

    /// <summary>The strong tag of <paramref name="content"/>, quoted as the header carries it.</summary>
    public static string Of(ReadOnlySpan<byte> content) => Quote(SHA256.HashData(content));

    /// <summary>The strong tag of an answer made of <paramref name="parts"/> whose own tags are given, in order, with what else it holds.</summary>
    public static string OfParts(IEnumerable<string> partTags, string rest)
    {
        ArgumentNullException.ThrowIfNull(partTags);
        using var digest = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var tag in partTags)
        {
            digest.AppendData(System.Text.Encoding.ASCII.GetBytes(tag));
        }

        digest.AppendData(System.Text.Encoding.UTF8.GetBytes("\n" + rest));
        return Quote(digest.GetHashAndReset());
    }

    /// <summary>
    /// Whether the request's <c>If-None-Match</c> names <paramref name="etag"/> (or is <c>*</c>):
    /// the caller holds these bytes already. The weak comparison, as the RFC asks for this header.
    /// </summary>
    public static bool Matches(HttpRequest request, string etag)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Headers.IfNoneMatch.Count == 0)
        {
            return false;
        }

        var ours = new EntityTagHeaderValue(etag);
        return request.GetTypedHeaders().IfNoneMatch.Any(given => given.Equals(EntityTagHeaderValue.Any) || given.Compare(ours, useStrongComparison: false));
    }

    private static string Quote(byte[] digest) => $"\"{Base64Url.EncodeToString(digest)[..Length]}\"";
}
