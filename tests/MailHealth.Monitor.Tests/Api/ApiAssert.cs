using System.Net;
using System.Text.Json;
using MailHealth.Monitor.Api;
using MailHealth.Testing.Schemas;

namespace MailHealth.Monitor.Tests.Api;

/// <summary>Asserts on API answers: the status, the media type, and the body against the OpenAPI document's schema for it.</summary>
internal static class ApiAssert
{
    private static readonly Lazy<string> OpenApi = new(() => new OpenApiDocument().Json);

    public static string Document => OpenApi.Value;

    /// <summary>Asserts <paramref name="expected"/> and that the JSON body matches <paramref name="component"/>; returns the body.</summary>
    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode expected, string component)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var errors = SchemaValidator.ComponentErrors(Document, component, body);
        Assert.True(errors.Count == 0, $"{component} does not describe the answer:\n{string.Join('\n', errors)}\n{body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Asserts a problem+json answer with <paramref name="expected"/> status; returns the problem.</summary>
    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var component = expected == HttpStatusCode.BadRequest ? "ValidationProblem" : "Problem";
        var errors = SchemaValidator.ComponentErrors(Document, component, body);
        Assert.True(errors.Count == 0, $"{component} does not describe the answer:\n{string.Join('\n', errors)}\n{body}");
        var problem = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
        return problem;
    }

    /// <summary>The fields a 400 names.</summary>
    public static IReadOnlyList<string> Fields(JsonElement problem) =>
        [.. problem.GetProperty("errors").EnumerateObject().Select(p => p.Name)];
}
