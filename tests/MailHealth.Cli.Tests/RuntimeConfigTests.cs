using System.Text.Json;

namespace MailHealth.Cli.Tests;

/// <summary>
/// The collector's settings that keep serve's memory down (docs/operations.md, Memory) are in the
/// runtimeconfig.json that <c>dotnet mailhealth.dll</c> starts with: this build output's, which
/// <c>dotnet publish</c> writes from the same project properties.
/// </summary>
public sealed class RuntimeConfigTests
{
    [Fact]
    public void RuntimeConfig_ConservesMemory_WithTheWorkstationCollectorInTheBackground()
    {
        var properties = ConfigProperties();

        Assert.Equal(7, properties.GetProperty("System.GC.ConserveMemory").GetInt32());
        // Workstation GC, background collections on: the API answers while gen2 is collected.
        Assert.False(properties.TryGetProperty("System.GC.Server", out var server) && server.GetBoolean());
        Assert.False(properties.TryGetProperty("System.GC.Concurrent", out var concurrent) && !concurrent.GetBoolean());
    }

    private static JsonElement ConfigProperties()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "mailhealth.runtimeconfig.json");
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        return json.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties").Clone();
    }
}
