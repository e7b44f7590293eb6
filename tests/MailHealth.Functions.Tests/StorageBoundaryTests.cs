using MailHealth.Monitor.Api;
using MailHealth.Testing;

namespace MailHealth.Functions.Tests;

/// <summary>Storage errors reach the monitor and the Functions app as the storage project's own exceptions: neither names the storage SDK.</summary>
public sealed class StorageBoundaryTests
{
    [Fact]
    public void MonitorAndFunctions_NameNoStorageSdkType()
    {
        Assert.Empty(StorageBoundary.Crossings(typeof(MailHealthApi).Assembly));
        Assert.Empty(StorageBoundary.Crossings(typeof(MailHealthFunctionsApp).Assembly));
    }

    [Fact]
    public void Crossings_FindsTheSdkWhereItIs()
    {
        // The storage project itself is where the SDK is used: the check sees it there.
        Assert.Contains("Azure.RequestFailedException", StorageBoundary.Crossings(typeof(Storage.Configuration.StorageAccount).Assembly));
    }
}
