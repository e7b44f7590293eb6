using Azure.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace MailHealth.Functions.Tests;

/// <summary>Telemetry is wired only with a connection string, and authenticates with the identity the authentication string names.</summary>
public sealed class TelemetryTests
{
    // Loopback endpoints: nothing is ever sent outside this machine.
    private const string ConnectionString =
        "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:9/;LiveEndpoint=http://127.0.0.1:9/";

    [Fact]
    public void Build_WithAConnectionString_TracesToAzureMonitor()
    {
        var values = FunctionsHarness.Settings("ftelemetry", new Uri("http://127.0.0.1:9/hook"));
        values[MailHealthFunctionsApp.ConnectionStringSetting] = ConnectionString;
        using var host = MailHealthFunctionsApp.Build([], configuration => configuration.AddInMemoryCollection(values));

        Assert.NotNull(host.Services.GetService<TracerProvider>());
    }

    [Fact]
    public void Build_WithoutAConnectionString_NoTelemetryPipeline()
    {
        var values = FunctionsHarness.Settings("ftelemetry", new Uri("http://127.0.0.1:9/hook"));
        using var host = MailHealthFunctionsApp.Build([], configuration => configuration.AddInMemoryCollection(values));

        Assert.Null(host.Services.GetService<TracerProvider>());
    }

    [Theory]
    [InlineData("ClientId=11111111-2222-3333-4444-555555555555;Authorization=AAD", true)]
    [InlineData("Authorization=AAD", true)]
    [InlineData("authorization=aad; clientid=11111111-2222-3333-4444-555555555555", true)]
    [InlineData("", false)]
    [InlineData(null, false)]
    [InlineData("ClientId=11111111-2222-3333-4444-555555555555", false)]
    public void Credential_EntraOnlyWhenTheStringAsksForIt(string? authenticationString, bool managedIdentity)
    {
        var credential = MailHealthFunctionsApp.Credential(authenticationString);

        Assert.Equal(managedIdentity, credential is ManagedIdentityCredential);
        Assert.Equal(managedIdentity, credential is not null);
    }
}
