using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry.Trace;

namespace MailHealth.Functions.Tests;

/// <summary>Telemetry is wired only with a connection string, and authenticates with the identity the authentication string names.</summary>
public sealed class TelemetryTests
{
    // Loopback endpoints: nothing is ever sent outside this machine.
    private const string ConnectionString =
        "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:9/;LiveEndpoint=http://127.0.0.1:9/";

    [Theory]
    [InlineData(null, false)]
    [InlineData("Authorization=AAD;ClientId=11111111-2222-3333-4444-555555555555", true)]
    public void Build_WithAConnectionString_TracesToAzureMonitor(string? authenticationString, bool managedIdentity)
    {
        var values = FunctionsHarness.Settings("ftelemetry", new Uri("http://127.0.0.1:9/hook"));
        values[MailHealthFunctionsApp.ConnectionStringSetting] = ConnectionString;
        values[MailHealthFunctionsApp.AuthenticationStringSetting] = authenticationString;
        using var host = MailHealthFunctionsApp.Build([], configuration => configuration.AddInMemoryCollection(values));

        // The pipeline exists, and its Azure Monitor exporter was given this app's connection
        // string and the credential the authentication string names (Entra ingestion).
        Assert.NotNull(host.Services.GetService<TracerProvider>());
        var exporter = host.Services.GetRequiredService<IOptionsMonitor<AzureMonitorExporterOptions>>().CurrentValue;
        Assert.Equal(ConnectionString, exporter.ConnectionString);
        Assert.Equal(managedIdentity, exporter.Credential is ManagedIdentityCredential);
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
