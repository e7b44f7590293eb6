using MailHealth.Targets;

namespace MailHealth.Core.Tests.Targets;

/// <summary>The targets file: every error with its path, or every target.</summary>
public sealed class TargetListTests
{
    [Fact]
    public void Parse_GoodFile_ReadsEveryTarget()
    {
        var list = TargetList.Parse("""
            {
              // people write these by hand
              "targets": [
                { "id": "shop", "domain": "shop.example", "ports": [25, "2525:smtp"], "tags": ["prod"], "checks": ["smtp", "spf"] },
                { "domain": "blog.example", "enabled": false },
              ]
            }
            """);

        Assert.True(list.IsValid, string.Join("; ", list.Errors));
        Assert.Equal(["shop", "blog-example"], list.Targets.Select(t => t.Id));
        Assert.Equal(2525, list.Targets[0].Ports[1].Port);
        Assert.False(list.Targets[1].Enabled);
        Assert.Equal(["smtp", "spf"], list.Targets[0].Checks);
        Assert.Null(list.Targets[1].Checks);
    }

    [Theory]
    [InlineData("""{ "targets": [ { "domain": "a.example" }, { "domain": "b.example" }, { "domain": "c.example", "ports": [70000] } ] }""", "targets[2].ports[0]: port 70000 is out of range")]
    [InlineData("""{ "targets": [ { "domain": "a.example", "prots": [25] } ] }""", "targets[0].prots")]
    [InlineData("""{ "targets": [ { "domain": "a.example", "ports": [true] } ] }""", "targets[0].ports")]
    [InlineData("""{ "targets": [ { "id": "x", "domain": "a.example" }, { "id": "x", "domain": "b.example" } ] }""", "targets[1].id: 'x' is already the id of targets[0]")]
    [InlineData("""{ "targets": [ { "domain": "a.example", "checks": ["smtp", "dkmi"] } ] }""", "targets[0].checks[1]: 'dkmi' is not a check")]
    [InlineData("""{ "targets": [ null ] }""", "targets[0]: is empty")]
    [InlineData("""{ "sites": [] }""", "sites")]
    [InlineData("""{}""", "targets: is required")]
    [InlineData("""not json""", "(document)")]
    public void Parse_BadFile_NamesThePath(string json, string expected)
    {
        var list = TargetList.Parse(json);

        Assert.False(list.IsValid);
        Assert.Empty(list.Targets);
        Assert.Contains(list.Errors, e => e.Contains(expected, StringComparison.Ordinal));
    }
}
