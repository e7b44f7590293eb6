using System.Text.Json;
using MailHealth.Monitor.Api;

namespace MailHealth.Monitor.Tests.Api;

/// <summary>The OpenAPI document and the route table say the same thing: every route once, its operation id, method and access.</summary>
public sealed class ApiContractTests
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch"];

    [Fact]
    public void OpenApi_DescribesExactlyTheRoutes_WithTheirAccess()
    {
        using var document = JsonDocument.Parse(new OpenApiDocument().Json);
        var described = new List<(string Name, string Method, string Path, bool Anonymous)>();
        foreach (var path in document.RootElement.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject().Where(o => Methods.Contains(o.Name)))
            {
                var anonymous = operation.Value.TryGetProperty("security", out var security) && security.GetArrayLength() == 0;
                described.Add((operation.Value.GetProperty("operationId").GetString()!, operation.Name.ToUpperInvariant(), path.Name, anonymous));
            }
        }

        var routes = ApiRoutes.All.Select(r => (r.Name, r.Method, r.Path, r.Access == ApiAccess.Anonymous)).ToList();
        Assert.Equal(routes.OrderBy(r => r.Name), described.OrderBy(d => d.Name));
    }

    [Fact]
    public void OpenApi_EveryReferenceResolves()
    {
        var json = new OpenApiDocument().Json;
        using var document = JsonDocument.Parse(json);
        var components = document.RootElement.GetProperty("components");
        var references = System.Text.RegularExpressions.Regex.Matches(json, "\"\\$ref\":\"#/components/(\\w+)/(\\w+)\"");
        Assert.NotEmpty(references);
        foreach (System.Text.RegularExpressions.Match reference in references)
        {
            Assert.True(
                components.GetProperty(reference.Groups[1].Value).TryGetProperty(reference.Groups[2].Value, out _),
                $"{reference.Value} points at nothing");
        }
    }

    [Fact]
    public void RouteTable_NamesAreUnique_AndWritesNeedTheAdminKey()
    {
        Assert.Equal(ApiRoutes.All.Count, ApiRoutes.All.Select(r => r.Name).Distinct().Count());
        Assert.Equal(ApiRoutes.All.Count, ApiRoutes.All.Select(r => (r.Method, r.Template)).Distinct().Count());
        Assert.All(ApiRoutes.All.Where(r => r.Method != "GET"), r => Assert.Equal(ApiAccess.Admin, r.Access));
    }
}
