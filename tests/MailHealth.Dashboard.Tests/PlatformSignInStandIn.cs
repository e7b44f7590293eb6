using MailHealth.Monitor.Api;
using MailHealth.Testing.Api;
using Microsoft.AspNetCore.Http;

namespace MailHealth.Dashboard.Tests;

/// <summary>
/// Plays App Service Authentication in front of a dashboard host, which cannot run here: its
/// sign-in endpoint (<c>/.auth/login/aad</c>) sets a session cookie and sends the browser back, and
/// on every request it drops a principal header the caller sent and, for a signed-in session, sets
/// the one of the account with <see cref="Roles"/>, as the platform does.
/// </summary>
public sealed class PlatformSignInStandIn(string account, params string[] roles)
{
    private const string Cookie = "AppServiceAuthSession";

    /// <summary>The signed-in account's app roles; a test may change them between requests.</summary>
    public IReadOnlyList<string> Roles { get; set; } = roles;

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        context.Request.Headers.Remove(PlatformSignIn.PrincipalHeader);
        if (context.Request.Path == PlatformSignIn.LoginPath)
        {
            context.Response.Cookies.Append(Cookie, account, new CookieOptions { HttpOnly = true, Path = "/" });
            context.Response.Redirect(context.Request.Query["post_login_redirect_uri"].ToString() is { Length: > 0 } back ? back : "/");
            return;
        }

        if (context.Request.Cookies[Cookie] == account)
        {
            context.Request.Headers[PlatformSignIn.PrincipalHeader] = ApiKeyTable.Principal(account, [.. Roles]);
        }

        await next(context);
    }
}
