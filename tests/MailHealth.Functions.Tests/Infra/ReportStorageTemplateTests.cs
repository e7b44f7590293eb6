using System.Text.Json.Nodes;
using MailHealth.Storage.Configuration;

namespace MailHealth.Functions.Tests.Infra;

/// <summary>
/// What report ingestion needs in Azure, in the compiled template: the container the app's
/// setting names, a role on it for the app's identity (Storage Blob Data Contributor, by its
/// built-in id), and a report queue name the storage settings accept.
/// </summary>
public sealed class ReportStorageTemplateTests
{
    /// <summary>The built-in role "Storage Blob Data Contributor" (its id is the same in every tenant).</summary>
    private const string BlobDataContributor = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";

    private static readonly Lazy<Task<JsonObject>> Resources = new(async () =>
    {
        var (exitCode, output, errors) = await Bicep.RunAsync("build", "main.bicep", "--stdout");
        Assert.True(exitCode == 0, errors);
        return Nested(JsonNode.Parse(output)!.AsObject()) ?? throw new InvalidOperationException("no template with the resources");
    });

    [Fact]
    public async Task ReportContainer_IsCreated_WhereTheSettingSays()
    {
        var template = await Resources.Value;
        var variables = template["variables"]!.AsObject();

        Assert.Equal("[variables('reportContainer')]", (string)variables["monitorSettings"]!["MailHealth__Storage__ReportContainerName"]!);
        Assert.Contains(Of(template, "Microsoft.Storage/storageAccounts/blobServices/containers"), c => ((string)c["name"]!).EndsWith("variables('reportContainer'))]", StringComparison.Ordinal));
        var options = new StorageOptions
        {
            AccountName = "mailhealthprod",
            ReportContainerName = (string)variables["reportContainer"]!,
            ReportQueueName = (string)variables["reportQueue"]!,
        };
        Assert.Empty(StorageOptionsValidator.Errors(options));
        var appSettings = Assert.Single(Of(template, "Microsoft.Web/sites/config"), c => ((string)c["name"]!).Contains("appsettings", StringComparison.Ordinal));
        Assert.Contains($"'{FunctionsSettings.ReportQueueSetting}', variables('reportQueue')", (string)appSettings["properties"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AppIdentity_MayWriteTheReportContainer()
    {
        var template = await Resources.Value;

        Assert.Equal(BlobDataContributor, (string)template["variables"]!["roles"]!["storageBlobDataContributor"]!);
        var assignment = Assert.Single(Of(template, "Microsoft.Authorization/roleAssignments"), r => ((string)r["properties"]!["roleDefinitionId"]!).Contains("storageBlobDataContributor", StringComparison.Ordinal));
        Assert.Contains("variables('reportContainer')", (string)assignment["scope"]!, StringComparison.Ordinal);
        // The app's own identity: the one the function app runs as.
        Assert.Equal("[reference('identity').principalId]", (string)assignment["properties"]!["principalId"]!);
        var identity = template["resources"]!["identity"]!;
        Assert.Equal("Microsoft.ManagedIdentity/userAssignedIdentities", (string)identity["type"]!);
        var app = Assert.Single(Of(template, "Microsoft.Web/sites"));
        Assert.Contains("id-mailhealth-", app["identity"]!["userAssignedIdentities"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("id-mailhealth-", (string)identity["name"]!, StringComparison.Ordinal);
    }

    private static IEnumerable<JsonObject> Of(JsonObject template, string type) =>
        Resource(template).Where(r => (string?)r["type"] == type);

    private static IEnumerable<JsonObject> Resource(JsonObject template) => template["resources"] switch
    {
        JsonArray array => array.Select(r => r!.AsObject()),
        JsonObject symbolic => symbolic.Select(p => p.Value!.AsObject()),
        _ => [],
    };

    /// <summary>The template (main's, or the nested deployment's) whose variables hold the roles.</summary>
    private static JsonObject? Nested(JsonObject template) =>
        template["variables"]?["roles"] is not null
            ? template
            : Resource(template).Select(r => r["properties"]?["template"]?.AsObject()).OfType<JsonObject>().Select(Nested).FirstOrDefault(t => t is not null);
}
