using System.Text.Json.Nodes;

namespace MailHealth.Functions.Tests.Infra;

/// <summary>
/// The template's part in the keys: the key secrets named to the hook that fills them, and Entra ID
/// sign-in (App Service Authentication) as an option that lets anonymous requests through to the
/// app, so callers with keys are never turned away by the platform.
/// </summary>
public sealed class SignInTemplateTests
{
    private static readonly Lazy<Task<JsonObject>> Template = new(async () =>
    {
        var (exitCode, output, errors) = await Bicep.RunAsync("build", "main.bicep", "--stdout");
        Assert.True(exitCode == 0, errors);
        return JsonNode.Parse(output)!.AsObject();
    });

    private static async Task<JsonObject> NestedAsync()
    {
        var template = await Template.Value;
        return template["resources"]!.AsArray().Single(r => (string)r!["type"]! == "Microsoft.Resources/deployments")!["properties"]!["template"]!.AsObject();
    }

    // Symbolic-name templates hold their resources in an object, older ones in an array.
    private static IEnumerable<JsonObject> Resources(JsonObject template) => template["resources"] switch
    {
        JsonArray array => array.Select(r => r!.AsObject()),
        JsonObject symbolic => symbolic.Select(p => p.Value!.AsObject()),
        _ => [],
    };

    [Fact]
    public async Task Authentication_OnlyWithAClientId_AndNeverBlocksAnonymousCallers()
    {
        var nested = await NestedAsync();
        var authentication = Resources(nested)
            .Single(r => (string)r["type"]! == "Microsoft.Web/sites/config" && ((string)r["name"]!).Contains("authsettingsV2", StringComparison.Ordinal));

        Assert.Equal("[not(empty(parameters('entraClientId')))]", (string)authentication["condition"]!);
        var validation = authentication["properties"]!["globalValidation"]!;
        Assert.False((bool)validation["requireAuthentication"]!);
        Assert.Equal("AllowAnonymous", (string)validation["unauthenticatedClientAction"]!);
        Assert.True((bool)authentication["properties"]!["platform"]!["enabled"]!);
    }

    [Fact]
    public async Task SignInSetting_FollowsTheClientIdParameter()
    {
        var nested = await NestedAsync();
        var settings = (string)Resources(nested).Single(r => ((string)r["name"]!).Contains("'appsettings'", StringComparison.Ordinal))["properties"]!;

        Assert.Contains($"'{FunctionsSettings.SignInSetting}', if(empty(parameters('entraClientId')), 'false', 'true')", settings, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeySecrets_NamedToTheHook_TwoSlotsOfEachKind()
    {
        var template = await Template.Value;
        var nested = await NestedAsync();

        Assert.Equal(["api-read-key-0", "api-read-key-1"], nested["variables"]!["apiReadKeySecrets"]!.AsArray().Select(n => (string)n!));
        Assert.Equal(["api-admin-key-0", "api-admin-key-1"], nested["variables"]!["apiAdminKeySecrets"]!.AsArray().Select(n => (string)n!));
        Assert.Equal("[join(concat(variables('apiReadKeySecrets'), variables('apiAdminKeySecrets')), ' ')]", (string)nested["outputs"]!["apiKeySecrets"]!["value"]!);
        Assert.EndsWith(".outputs.apiKeySecrets.value]", (string)template["outputs"]!["API_KEY_SECRETS"]!["value"]!, StringComparison.Ordinal);
    }
}
