using MailHealth.Storage.Configuration;
using MailHealth.Storage.Runs;
using MailHealth.Storage.Targets;
using MailHealth.Storage.Tests.Infrastructure;
using MailHealth.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MailHealth.Storage.Tests.Configuration;

public sealed class StorageConfigurationTests
{
    [Fact]
    public void AddMailHealthStorage_NothingConfigured_FailsNamingThePath()
    {
        using var provider = Services(new Dictionary<string, string?>());

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<StorageAccount>());
        Assert.Contains("MailHealth:Storage: set ConnectionString, AccountName, or TableServiceUri, QueueServiceUri and BlobServiceUri", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("TablePrefix", "has-dash", "MailHealth:Storage:TablePrefix")]
    [InlineData("ProbeQueueName", "Upper", "MailHealth:Storage:ProbeQueueName")]
    [InlineData("NotificationQueueName", "a--b", "MailHealth:Storage:NotificationQueueName")]
    [InlineData("NetworkTimeout", "00:00:00", "MailHealth:Storage:NetworkTimeout: 00:00:00 is not in 00:00:01-00:05:00")]
    [InlineData("MaxRetries", "11", "MailHealth:Storage:MaxRetries: 11 is not in 0-10")]
    public void AddMailHealthStorage_BadName_FailsNamingTheSetting(string setting, string value, string path)
    {
        using var provider = Services(new Dictionary<string, string?>
        {
            ["MailHealth:Storage:ConnectionString"] = "UseDevelopmentStorage=true",
            [$"MailHealth:Storage:{setting}"] = value,
        });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<StorageOptions>>().Value);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_OnlyOneServiceUri_Fails()
    {
        var errors = StorageOptionsValidator.Errors(new StorageOptions { TableServiceUri = new Uri("https://a.table.core.windows.net") }).ToList();

        Assert.Contains(errors, e => e.Contains("set all three", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_TwoWays_Fails()
    {
        var errors = StorageOptionsValidator.Errors(new StorageOptions { ConnectionString = "UseDevelopmentStorage=true", AccountName = "account1" }).ToList();

        Assert.Contains(errors, e => e.Contains("only one", StringComparison.Ordinal));
    }

    [Fact]
    public void StorageAccount_AccountName_UsesTheCloudEndpoints()
    {
        var account = new StorageAccount(new StorageOptions { AccountName = "mailhealthprod", ManagedIdentityClientId = "00000000-0000-0000-0000-000000000001" });

        Assert.Equal(new Uri("https://mailhealthprod.table.core.windows.net/"), account.Tables.Uri);
        Assert.Equal(new Uri("https://mailhealthprod.queue.core.windows.net/"), account.Queues.Uri);
        Assert.Equal(new Uri("https://mailhealthprod.blob.core.windows.net/"), account.Blobs.Uri);
        Assert.Equal("mailhealthruns", account.Table(StorageTables.Runs).Name);
    }

    [Fact]
    public void StorageAccount_ServiceUris_AreUsedAsGiven()
    {
        var account = new StorageAccount(new StorageOptions
        {
            TableServiceUri = new Uri("https://tables.example.test/"),
            QueueServiceUri = new Uri("https://queues.example.test/"),
            BlobServiceUri = new Uri("https://blobs.example.test/"),
        });

        Assert.Equal("tables.example.test", account.Tables.Uri.Host);
        Assert.Equal("queues.example.test", account.Queues.Uri.Host);
        Assert.Equal("blobs.example.test", account.Blobs.Uri.Host);
    }

    [Fact]
    public async Task InitializeAsync_IsIdempotent_AndTheStoresResolveFromConfiguration()
    {
        var unique = Guid.NewGuid().ToString("N")[..10];
        using var provider = Services(new Dictionary<string, string?>
        {
            ["MailHealth:Storage:ConnectionString"] = Peers.AzuriteConnectionString,
            ["MailHealth:Storage:TablePrefix"] = "cfg" + unique,
            ["MailHealth:Storage:ProbeQueueName"] = "cfg-p-" + unique,
            ["MailHealth:Storage:NotificationQueueName"] = "cfg-n-" + unique,
            ["MailHealth:Storage:ReportQueueName"] = "cfg-r-" + unique,
            ["MailHealth:Storage:ReportContainerName"] = "cfg-r-" + unique,
        });
        var initializer = provider.GetRequiredService<StorageInitializer>();
        var account = provider.GetRequiredService<StorageAccount>();
        try
        {
            await initializer.InitializeAsync();
            await initializer.InitializeAsync();

            var target = TestReports.Target("cfg");
            await provider.GetRequiredService<TargetStore>().UpsertAsync(target);
            Assert.NotNull(await provider.GetRequiredService<TargetStore>().GetAsync("cfg"));
            Assert.NotNull(provider.GetRequiredService<RunStore>());
            var tables = new List<string>();
            await foreach (var table in account.Tables.QueryAsync(t => t.Name.CompareTo("cfg" + unique) >= 0))
            {
                tables.Add(table.Name);
            }

            Assert.Equal(StorageTables.All.Count, tables.Count(t => t.StartsWith("cfg" + unique, StringComparison.Ordinal)));
        }
        finally
        {
            await PeerStorage.DeleteAsync(account);
        }
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddMailHealthStorage(configuration).BuildServiceProvider();
    }
}
