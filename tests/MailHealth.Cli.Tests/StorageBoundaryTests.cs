using MailHealth.Testing;

namespace MailHealth.Cli.Tests;

/// <summary>Storage errors reach the CLI as the storage project's own exceptions: it names no type of the storage SDK.</summary>
public sealed class StorageBoundaryTests
{
    [Fact]
    public void Cli_NamesNoStorageSdkType() =>
        Assert.Empty(StorageBoundary.Crossings(typeof(Cli.Serve.ServeHost).Assembly));
}
