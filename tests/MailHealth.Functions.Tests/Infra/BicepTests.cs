using System.Text.Json.Nodes;

namespace MailHealth.Functions.Tests.Infra;

/// <summary>infra/ compiles and lints clean with the rules bicepconfig.json raises to errors, and its parameters file builds.</summary>
public sealed class BicepTests
{
    [Fact]
    public async Task Build_MainBicep_CompilesWithoutDiagnostics()
    {
        var (exitCode, output, errors) = await Bicep.RunAsync("build", "main.bicep", "--stdout");

        Assert.True(exitCode == 0, errors);
        Assert.Equal("", errors.Trim());
        Assert.NotNull(JsonNode.Parse(output)!["resources"]);
    }

    [Fact]
    public async Task Lint_MainBicep_NoFindings()
    {
        var (exitCode, output, errors) = await Bicep.RunAsync("lint", "main.bicep");

        Assert.True(exitCode == 0, output + errors);
        Assert.Equal("", (output + errors).Trim());
    }

    [Fact]
    public async Task Lint_ABrokenRule_FailsTheLint()
    {
        // The lint test above could pass with a linter that is off: break a raised rule on a copy.
        var copy = Directory.CreateTempSubdirectory("mailhealth-infra-");
        try
        {
            foreach (var file in Directory.GetFiles(Bicep.Infra))
            {
                File.Copy(file, Path.Combine(copy.FullName, Path.GetFileName(file)));
            }

            await File.AppendAllTextAsync(Path.Combine(copy.FullName, "resources.bicep"), "\nparam notUsed string = 'x'\n");
            var (exitCode, output, errors) = await Bicep.RunAsync("lint", Path.Combine(copy.FullName, "main.bicep"));

            Assert.NotEqual(0, exitCode);
            Assert.Contains("no-unused-params", output + errors, StringComparison.Ordinal);
        }
        finally
        {
            copy.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task BuildParams_MainBicepparam_Builds()
    {
        var (exitCode, output, errors) = await Bicep.RunAsync("build-params", "main.bicepparam", "--stdout");

        Assert.True(exitCode == 0, errors);
        Assert.Equal("", errors.Trim());
        var parameters = JsonNode.Parse(JsonNode.Parse(output)!["parametersJson"]!.GetValue<string>())!["parameters"]!;
        Assert.Equal(FunctionsSettings.DefaultSchedule, (string)parameters["schedule"]!["value"]!);
    }
}
