using Microsoft.AspNetCore.Http;

namespace MailHealth.Monitor.Api;

/// <summary>
/// Whether a request may call a route, decided by the application in both hosts (the Functions
/// host checks no key: every HTTP function is anonymous to it, and its master key is never what a
/// caller needs). A key given decides alone: an unknown one is a 401, a read key on a route that
/// writes a 403. Without a key, a caller signed in through the platform (<see cref="PlatformSignIn"/>,
/// the Functions app only, when configured) is judged by its app roles; anyone else gets a 401.
/// Refusals are problem details that never repeat the key.
/// </summary>
public sealed class ApiAuthorization(ApiKeys keys, PlatformSignIn? signIn = null)
{
    /// <summary>Null when the request may call a route of <paramref name="required"/> access; else the 401 or 403 to answer with.</summary>
    public IResult? Check(HttpRequest request, ApiAccess required)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (required == ApiAccess.Anonymous)
        {
            return null;
        }

        if (ApiKeys.Given(request) is { } key)
        {
            return keys.AccessOf(key) switch
            {
                null => ApiProblem.Unauthorized("the key is not valid"),
                var access when access >= required => null,
                _ => ApiProblem.Forbidden("this route changes things and needs an admin key; the key given may only read"),
            };
        }

        if (signIn?.Read(request) is { } principal)
        {
            return principal.Access switch
            {
                null => ApiProblem.Forbidden($"signed in as {principal.Name}, without the {PlatformSignIn.ReadRole} or {PlatformSignIn.AdminRole} app role"),
                var access when access >= required => null,
                _ => ApiProblem.Forbidden($"this route changes things and needs the {PlatformSignIn.AdminRole} app role (or an admin key); {principal.Name} may only read"),
            };
        }

        return ApiProblem.Unauthorized($"a key is required: send it in the {ApiKeys.Header} header (or the {ApiKeys.QueryParameter} query parameter)");
    }

    /// <summary>
    /// With sign-in configured, every answer names where a browser signs in (header
    /// <see cref="PlatformSignIn.OfferHeader"/>), so the dashboard learns it from its anonymous
    /// requests and offers it beside the key; without, nothing is added and both hosts answer alike.
    /// </summary>
    public void OfferSignIn(HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (signIn is not null)
        {
            response.Headers[PlatformSignIn.OfferHeader] = PlatformSignIn.LoginPath;
        }
    }
}
