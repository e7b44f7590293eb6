using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace MailHealth.Storage.Paging;

/// <summary>
/// Wraps the Table service's continuation (next partition and row key) into an opaque URL-safe
/// string bound to the query that produced it: <c>v1.{hash of the filter}.{service token}</c> in
/// Base64url. A token from another query, a truncated one or garbage is refused with
/// <see cref="InvalidContinuationTokenException"/> before anything reaches the service.
/// </summary>
public static class ContinuationToken
{
    private const string Version = "v1";

    public static string? Wrap(string? serviceToken, string query)
    {
        if (serviceToken is null)
        {
            return null;
        }

        var text = $"{Version}.{QueryHash(query)}.{serviceToken}";
        return Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));
    }

    public static string? Unwrap(string? token, string query)
    {
        if (token is null)
        {
            return null;
        }

        const string Invalid = "the continuation token is not one this query returned";
        if (token.Length is 0 or > 4096 || !Base64Url.IsValid(token))
        {
            throw new InvalidContinuationTokenException(Invalid);
        }

        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Base64Url.DecodeFromChars(token));
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new InvalidContinuationTokenException(Invalid, e);
        }

        var parts = text.Split('.', 3);
        if (parts.Length != 3 || parts[0] != Version || parts[1] != QueryHash(query) || parts[2].Length == 0 || parts[2].Any(char.IsControl))
        {
            throw new InvalidContinuationTokenException(Invalid);
        }

        return parts[2];
    }

    private static string QueryHash(string query) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(query)), 0, 8);
}
