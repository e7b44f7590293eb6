using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace MailHealth.Monitor.Api;

/// <summary>
/// The API's own keys (<c>MailHealth:Api:ReadKeys</c> and <c>AdminKeys</c>), the same in both
/// hosts: a key comes in the <c>x-functions-key</c> header or the <c>code</c> query parameter (the
/// names callers of a Functions app already use); an admin key may call every route, a read key
/// the routes of <see cref="ApiAccess.Read"/>. Keys are compared in constant time and never appear
/// in an answer or a log.
/// </summary>
public sealed class ApiKeys
{
    public const string Header = "x-functions-key";
    public const string QueryParameter = "code";

    private readonly byte[][] _read;
    private readonly byte[][] _admin;

    public ApiKeys(IOptions<ApiSettings> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _read = [.. options.Value.ReadKeys.Select(Digest)];
        _admin = [.. options.Value.AdminKeys.Select(Digest)];
    }

    /// <summary>The key the request carries (the header first), or null without one.</summary>
    public static string? Given(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var given = request.Headers[Header].ToString();
        if (given.Length == 0)
        {
            given = request.Query[QueryParameter].ToString();
        }

        return given.Length == 0 ? null : given;
    }

    /// <summary>What <paramref name="key"/> may call: <see cref="ApiAccess.Admin"/>, <see cref="ApiAccess.Read"/>, or null for a key that is not one of these.</summary>
    public ApiAccess? AccessOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var digest = Digest(key);

        // Every configured key is compared, whichever matches: the time taken says nothing about which kind it is.
        var admin = _admin.Aggregate(false, (found, k) => CryptographicOperations.FixedTimeEquals(k, digest) | found);
        var read = _read.Aggregate(false, (found, k) => CryptographicOperations.FixedTimeEquals(k, digest) | found);
        return admin ? ApiAccess.Admin : read ? ApiAccess.Read : null;
    }

    // Equal-length digests: the comparison takes the same time whatever the key's length.
    private static byte[] Digest(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
