using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;

namespace MailHealth.Monitor.Api;

/// <summary>
/// Entra ID sign-in in front of the Functions app (App Service Authentication): the platform
/// checks the caller's session cookie or bearer token and passes the caller on in the
/// <c>X-MS-CLIENT-PRINCIPAL</c> header (its claims as Base64 JSON), a header it never lets a caller
/// set. The app role <c>MailHealth.Read</c> or <c>MailHealth.Admin</c> grants what a read or an
/// admin key would. Only the Functions app registers this, and only while the platform says its
/// authentication is on (docs/deploy.md, Entra ID sign-in); <c>serve</c> never reads the header.
/// </summary>
public sealed class PlatformSignIn
{
    public const string PrincipalHeader = "X-MS-CLIENT-PRINCIPAL";
    public const string ReadRole = "MailHealth.Read";
    public const string AdminRole = "MailHealth.Admin";

    /// <summary>Where a browser signs in (the platform's own endpoint).</summary>
    public const string LoginPath = "/.auth/login/aad";

    /// <summary>The header of every API answer, while sign-in is on, that names <see cref="LoginPath"/>.</summary>
    public const string OfferHeader = "X-MailHealth-Sign-In";

    /// <summary>The header the dashboard sends with every request; see <see cref="Read"/>.</summary>
    public const string ScriptHeader = "X-Requested-With";

    /// <summary>
    /// The signed-in caller, or null when the request has none. A browser's session cookie travels
    /// with any request to the app, a form posted by another site's page included, so a session
    /// counts only on a request such a page cannot make without the app's consent (CORS): one with
    /// <see cref="ScriptHeader"/>, as the dashboard's, or with the token itself in <c>Authorization</c>.
    /// </summary>
    public PlatformPrincipal? Read(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var header = request.Headers[PrincipalHeader].ToString();
        if (header.Length == 0 || (request.Headers[ScriptHeader].Count == 0 && request.Headers.Authorization.Count == 0))
        {
            return null;
        }

        ClientPrincipal? principal;
        try
        {
            principal = JsonSerializer.Deserialize<ClientPrincipal>(Convert.FromBase64String(header));
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }

        if (principal?.Claims is not { } claims)
        {
            return null;
        }

        // role_typ names the roles' claim type; Entra's app roles arrive as "roles".
        var roleType = principal.RoleType ?? "roles";
        var roles = claims.Where(c => c.Type == roleType || c.Type == "roles").Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        var access = roles.Contains(AdminRole) ? ApiAccess.Admin : roles.Contains(ReadRole) ? ApiAccess.Read : (ApiAccess?)null;
        var name = claims.FirstOrDefault(c => c.Type == principal.NameType)?.Value
            ?? claims.FirstOrDefault(c => c.Type is "preferred_username" or "name")?.Value
            ?? "an account";
        return new PlatformPrincipal(name, access);
    }

    private sealed record ClientPrincipal(
        [property: JsonPropertyName("claims")] IReadOnlyList<ClientClaim>? Claims,
        [property: JsonPropertyName("name_typ")] string? NameType,
        [property: JsonPropertyName("role_typ")] string? RoleType);

    private sealed record ClientClaim(
        [property: JsonPropertyName("typ")] string? Type,
        [property: JsonPropertyName("val")] string? Value);
}

/// <summary>A caller signed in through the platform: a name to show, and what its app roles grant (null: neither role).</summary>
public sealed record PlatformPrincipal(string Name, ApiAccess? Access);
