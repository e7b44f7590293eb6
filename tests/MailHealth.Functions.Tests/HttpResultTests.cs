using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker.Builder;

namespace MailHealth.Functions.Tests;

/// <summary>The HTTP functions return the handlers' IResult; the worker's ASP.NET Core integration must be what executes it.</summary>
public sealed class HttpResultTests
{
    [Fact]
    public void AspNetCoreIntegration_ExecutesAReturnedIResult()
    {
        // The integration's middleware calls IResult.ExecuteAsync(HttpContext) on a function's result
        // (no host runs here to watch it do so): its assembly must reference exactly that member.
        var assembly = typeof(FunctionsApplicationBuilderAspNetCoreExtensions).Assembly.Location;
        using var stream = File.OpenRead(assembly);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();

        var executesIResult = metadata.MemberReferences
            .Select(metadata.GetMemberReference)
            .Where(m => metadata.GetString(m.Name) == nameof(IResult.ExecuteAsync) && m.Parent.Kind == HandleKind.TypeReference)
            .Select(m => metadata.GetTypeReference((TypeReferenceHandle)m.Parent))
            .Any(t => metadata.GetString(t.Namespace) == typeof(IResult).Namespace && metadata.GetString(t.Name) == nameof(IResult));

        Assert.True(executesIResult, $"{Path.GetFileName(assembly)} never calls IResult.ExecuteAsync: execute the result in the function");
    }
}
