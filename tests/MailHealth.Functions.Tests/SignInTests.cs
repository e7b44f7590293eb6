using System.Text.Json.Nodes;
using MailHealth.Monitor.Api;
using MailHealth.Testing.Api;
using Microsoft.Extensions.DependencyInjection;

namespace MailHealth.Functions.Tests;

/// <summary>
/// Entra ID sign-in through App Service Authentication: with MAILHEALTH_ENTRA_SIGN_IN on and the
/// platform saying its authentication is on, a caller without a key is judged by the app roles of
/// the principal the platform passes on; without the platform's word the header is a forgery like
/// any other and counts for nothing.
/// </summary>
public sealed class SignInTests
{
    private static readonly Dictionary<string, string?> Trusted = new()
    {
        [FunctionsSettings.SignInSetting] = "true",
        [FunctionsSettings.PlatformAuthenticationSetting] = "True",
    };

    private static Dictionary<string, string> SignedIn(params string[] roles) => new()
    {
        [PlatformSignIn.PrincipalHeader] = ApiKeyTable.Principal("alice@example.test", roles),
        [PlatformSignIn.ScriptHeader] = "XMLHttpRequest",
    };

    private static async Task<(int Status, JsonObject? Body, string? SignInOffer)> CallAsync(FunctionsHarness app, string route, string method, string path, Dictionary<string, string> headers)
    {
        var body = method == "PUT" ? """{"domain":"signed-in.example","ports":[25]}""" : null;
        var request = FunctionRequests.Request(app, method, path, body, headers);
        var id = path.StartsWith("/api/targets/", StringComparison.Ordinal) ? path.Split('/')[3] : null;
        var (status, _, answer) = await FunctionRequests.AnswerAsync(request, FunctionRequests.InvokeAsync(app, route, request, id));
        var offer = request.HttpContext.Response.Headers[PlatformSignIn.OfferHeader].ToString();
        return (status, answer.Length == 0 ? null : JsonNode.Parse(answer)?.AsObject(), offer.Length == 0 ? null : offer);
    }

    [Fact]
    public async Task AdminRole_MayWrite_ReadRole_OnlyRead_NoRole_Nothing()
    {
        await using var app = await FunctionsHarness.StartAsync(settings: Trusted);

        var (written, _, _) = await CallAsync(app, "PutTarget", "PUT", "/api/targets/signed-in", SignedIn(PlatformSignIn.AdminRole));
        var (read, _, _) = await CallAsync(app, "GetTarget", "GET", "/api/targets/signed-in", SignedIn(PlatformSignIn.ReadRole));
        var (readOnly, readOnlyProblem, _) = await CallAsync(app, "DeleteTarget", "DELETE", "/api/targets/signed-in", SignedIn(PlatformSignIn.ReadRole));
        var (noRole, noRoleProblem, _) = await CallAsync(app, "ListTargets", "GET", "/api/targets", SignedIn("Some.Other.Role"));

        Assert.Equal(201, written);
        Assert.Equal(200, read);
        Assert.Equal(403, readOnly);
        Assert.Contains(PlatformSignIn.AdminRole, (string)readOnlyProblem!["detail"]!, StringComparison.Ordinal);
        Assert.Equal(403, noRole);
        Assert.Equal("signed in as alice@example.test, without the MailHealth.Read or MailHealth.Admin app role", (string)noRoleProblem!["detail"]!);
    }

    [Fact]
    public async Task Session_WithoutTheScriptHeader_CountsForNothing_ButABearerTokenDoes()
    {
        await using var app = await FunctionsHarness.StartAsync(settings: Trusted);
        var principal = ApiKeyTable.Principal("alice@example.test", PlatformSignIn.AdminRole);

        // A form another site's page posts carries the session cookie, so the platform's principal, but no script header.
        var (forged, _, offer) = await CallAsync(app, "RequestProbe", "POST", "/api/targets/keys-table/probe", new() { [PlatformSignIn.PrincipalHeader] = principal });
        var (bearer, _, _) = await CallAsync(app, "ListTargets", "GET", "/api/targets", new() { [PlatformSignIn.PrincipalHeader] = principal, ["Authorization"] = "Bearer token-the-platform-checked" });

        Assert.Equal(401, forged);
        Assert.Equal(PlatformSignIn.LoginPath, offer);
        Assert.Equal(200, bearer);
    }

    [Fact]
    public async Task AKeyGiven_DecidesAlone_EvenForASignedInAdmin()
    {
        await using var app = await FunctionsHarness.StartAsync(settings: Trusted);
        var headers = SignedIn(PlatformSignIn.AdminRole);
        headers[ApiKeys.Header] = ApiKeyTable.UnknownKey;

        var (status, problem, _) = await CallAsync(app, "ListTargets", "GET", "/api/targets", headers);

        Assert.Equal(401, status);
        Assert.Equal("the key is not valid", (string)problem!["detail"]!);
    }

    [Fact]
    public async Task Requested_WithoutThePlatformsAuthentication_TheHeaderIsIgnored()
    {
        await using var app = await FunctionsHarness.StartAsync(settings: new Dictionary<string, string?> { [FunctionsSettings.SignInSetting] = "true" });

        var (status, _, offer) = await CallAsync(app, "ListTargets", "GET", "/api/targets", SignedIn(PlatformSignIn.AdminRole));

        Assert.Null(app.Services.GetService<PlatformSignIn>());
        Assert.Equal(401, status);
        Assert.Null(offer);
    }
}
