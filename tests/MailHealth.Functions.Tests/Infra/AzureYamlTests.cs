using MailHealth.Testing;
using YamlDotNet.RepresentationModel;

namespace MailHealth.Functions.Tests.Infra;

/// <summary>azure.yaml deploys the Functions project as the service azd's template outputs name, on the infra that exists, and runs the hook that creates the API's keys.</summary>
public sealed class AzureYamlTests
{
    private static YamlMappingNode Root()
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(Path.Combine(Peers.RepoRoot, "azure.yaml"));
        yaml.Load(reader);
        return (YamlMappingNode)yaml.Documents[0].RootNode;
    }

    private static string Scalar(YamlNode node, params string[] path) =>
        ((YamlScalarNode)path.Aggregate(node, (current, key) => ((YamlMappingNode)current)[key])).Value!;

    [Fact]
    public void Api_IsTheFunctionsProjectHostedAsAFunctionApp()
    {
        var root = Root();

        Assert.Equal("function", Scalar(root, "services", "api", "host"));
        Assert.Equal("dotnet", Scalar(root, "services", "api", "language"));
        var project = Path.GetFullPath(Path.Combine(Peers.RepoRoot, Scalar(root, "services", "api", "project")));
        Assert.True(File.Exists(Path.Combine(project, "MailHealth.Functions.csproj")), project);
    }

    [Fact]
    public void PostprovisionHook_IsTheApiKeysScript_RunBySh()
    {
        var root = Root();

        // azd runs it after every provisioning, with the template's outputs in the environment.
        Assert.Equal("sh", Scalar(root, "hooks", "postprovision", "shell"));
        Assert.Equal("false", Scalar(root, "hooks", "postprovision", "continueOnError"));
        Assert.True(File.Exists(Path.Combine(Peers.RepoRoot, Scalar(root, "hooks", "postprovision", "run"))));
        Assert.EndsWith("api-keys.sh", Scalar(root, "hooks", "postprovision", "run"), StringComparison.Ordinal);
    }

    [Fact]
    public void Infra_IsTheBicepModuleWithItsParameters()
    {
        var root = Root();
        var infra = Path.Combine(Peers.RepoRoot, Scalar(root, "infra", "path"));

        Assert.Equal("bicep", Scalar(root, "infra", "provider"));
        Assert.True(File.Exists(Path.Combine(infra, Scalar(root, "infra", "module") + ".bicep")));
        Assert.True(File.Exists(Path.Combine(infra, Scalar(root, "infra", "module") + ".bicepparam")));
    }
}
