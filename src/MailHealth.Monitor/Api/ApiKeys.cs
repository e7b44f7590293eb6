using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace MailHealth.Monitor.Api;

/// <summary>
/// <c>serve</c>'s key check, the way the Functions host checks function and admin keys: the key
/// comes in the <c>x-functions-key</c> header or the <c>code</c> query parameter; an admin key
/// may do everything, a read key only what <see cref="ApiAccess.Read"/> allows. Keys are compared
/// in constant time and never appear in an answer or a log.
/// </summary>
public sealed class ApiKeys
{
    public const string Header = "x-functions-key";
    public const string QueryParameter = "code";

    private readonly byte[][] _read;
    private readonly byte[][] _admin;

    public ApiKeys(ApiSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _read = [.. settings.ReadKeys.Select(Digest)];
        _admin = [.. settings.AdminKeys.Select(Digest)];
    }

    /// <summary>Null when the request may call a route of <paramref name="access"/>; else the 401 or 403 to answer with.</summary>
    public IResult? Check(HttpRequest request, ApiAccess access)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (access == ApiAccess.Anonymous)
        {
            return null;
        }

        var given = request.Headers[Header].ToString();
        if (given.Length == 0)
        {
            given = request.Query[QueryParameter].ToString();
        }

        if (given.Length == 0)
        {
            return ApiProblem.Unauthorized($"a key is required: send it in the {Header} header (or the {QueryParameter} query parameter)");
        }

        var digest = Digest(given);
        if (_admin.Any(k => CryptographicOperations.FixedTimeEquals(k, digest)))
        {
            return null;
        }

        if (_read.Any(k => CryptographicOperations.FixedTimeEquals(k, digest)))
        {
            return access == ApiAccess.Read ? null : ApiProblem.Forbidden("this route changes things and needs an admin key; the key given may only read");
        }

        return ApiProblem.Unauthorized("the key is not valid");
    }

    // Equal-length digests: the comparison takes the same time whatever the key's length.
    private static byte[] Digest(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
