using MailHealth.Monitor;
using MailHealth.Storage.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MailHealth.Functions.Tests;

/// <summary>A bad setting stops the worker while it is built, with a message naming the setting's path.</summary>
public sealed class StartupTests
{
    private static IReadOnlyList<string> StartupErrorsWith(params (string Key, string? Value)[] changes)
    {
        var values = FunctionsHarness.Settings("fstartup", new Uri("http://127.0.0.1:9/hook"));
        foreach (var (key, value) in changes)
        {
            // Null: the setting is not there at all (a null value would still bind a list's element).
            if (value is null)
            {
                values.Remove(key);
            }
            else
            {
                values[key] = value;
            }
        }

        var exception = Record.Exception(() => MailHealthFunctionsApp.Build([], configuration => configuration.AddInMemoryCollection(values)).Dispose());
        Assert.NotNull(exception);
        return StartupErrors.Of(exception);
    }

    [Fact]
    public void Build_GoodSettings_Starts()
    {
        var values = FunctionsHarness.Settings("fstartup", new Uri("http://127.0.0.1:9/hook"));
        using var host = MailHealthFunctionsApp.Build([], configuration => configuration.AddInMemoryCollection(values));

        var storage = host.Services.GetRequiredService<IOptions<StorageOptions>>().Value;
        Assert.Equal("fstartup-probes", storage.ProbeQueueName);
        Assert.Equal("fstartup-notifications", storage.NotificationQueueName);
        Assert.Equal("fstartup-reports", storage.ReportQueueName);
        Assert.Equal("fstartup-reports", storage.ReportContainerName);
        Assert.Equal(values[FunctionsSettings.StorageConnection], storage.ConnectionString);
    }

    [Theory]
    [InlineData("MailHealth:Checks:MaxConcurrency", "0", "MailHealth:Checks:MaxConcurrency: 0 is not in 1-1024")]
    [InlineData("MailHealth:Monitor:RetentionDays", "0", "MailHealth:Monitor:RetentionDays: 0 is not in 1-3650")]
    [InlineData("MailHealth:Monitor:Intervall", "00:05:00", "MailHealth:Monitor:Intervall: not a setting")]
    [InlineData("MailHealth:Storage:TablePrefix", "has-dash", "MailHealth:Storage:TablePrefix: 'has-dash'")]
    [InlineData("MailHealth:Notifications:Channels:ops:Url", "not a url", "MailHealth:Notifications:Channels:ops:Url")]
    [InlineData("MailHealth:Checks:MaxConcurrency", "many", "MailHealth:Checks:MaxConcurrency")]
    [InlineData(FunctionsSettings.ScheduleSetting, null, "MAILHEALTH_SCHEDULE: not set")]
    [InlineData(FunctionsSettings.ScheduleSetting, "00:05:00", "MAILHEALTH_SCHEDULE: '00:05:00' is not a cron expression of six fields")]
    [InlineData(FunctionsSettings.ScheduleSetting, "0 */10 * * * *", "MAILHEALTH_SCHEDULE: '0 */10 * * * *' ticks 10 min after Mon 00:00:00, but MailHealth:Monitor:Interval is 5 min")]
    [InlineData(FunctionsSettings.ScheduleSetting, "0 61 * * * *", "MAILHEALTH_SCHEDULE: '0 61 * * * *' is not a valid cron expression")]
    [InlineData("MAILHEALTH_PURGE_SCHEDULE", "0 0 4 * * *", "MAILHEALTH_PURGE_SCHEDULE: the Functions app purges at the fixed '0 30 3 * * *'")]
    [InlineData("MAILHEALTH_DKIM_SWEEP_SCHEDULE", "0 0 5 * * *", "MAILHEALTH_DKIM_SWEEP_SCHEDULE: the Functions app sweeps DKIM selectors at the fixed '0 0 4 * * *'")]
    [InlineData(FunctionsSettings.ProbeQueueSetting, null, "MAILHEALTH_PROBE_QUEUE: not set")]
    [InlineData(FunctionsSettings.NotificationQueueSetting, null, "MAILHEALTH_NOTIFICATION_QUEUE: not set")]
    [InlineData(FunctionsSettings.ReportQueueSetting, null, "MAILHEALTH_REPORT_QUEUE: not set")]
    [InlineData("MailHealth:Storage:ReportQueueName", "other-reports", "MailHealth:Storage:ReportQueueName: the Functions app takes this from the settings its triggers read")]
    [InlineData("MailHealth:Storage:ReportContainerName", "Bad_Container", "MailHealth:Storage:ReportContainerName: 'Bad_Container'")]
    [InlineData("MailHealth:Reports:MaxMessageBytes", "10", "MailHealth:Reports:MaxMessageBytes: 10 is not in 65536-1073741824")]
    [InlineData("MailHealth:Ingestion:MaxReportDays", "61", "MailHealth:Ingestion:MaxReportDays: 61 is not in 1-60")]
    [InlineData(FunctionsSettings.ProbeQueueSetting, "Bad_Queue", "MailHealth:Storage:ProbeQueueName: 'Bad_Queue'")]
    [InlineData("MailHealth:Storage:ProbeQueueName", "other-probes", "MailHealth:Storage:ProbeQueueName: the Functions app takes this from the settings its triggers read")]
    [InlineData("MailHealth:Storage:AccountName", "otheraccount", "MailHealth:Storage:AccountName: the Functions app takes this from the settings its triggers read")]
    [InlineData(FunctionsSettings.StorageConnection, null, "AzureWebJobsStorage: not set")]
    [InlineData("MailHealth:Api:AdminKeys:0", null, "MailHealth:Api:AdminKeys: at least one admin key is required to serve the API")]
    [InlineData("MailHealth:Api:ReadKeys:0", "@Microsoft.KeyVault(VaultName=kv-mh;SecretName=api-read-key-0)", "MailHealth:Api:ReadKeys:0: is a Key Vault reference the platform could not resolve")]
    [InlineData("MailHealth:Api:AdminKeys:0", "short", "MailHealth:Api:AdminKeys:0: is shorter than 16 characters")]
    [InlineData(FunctionsSettings.SignInSetting, "yes", "MAILHEALTH_ENTRA_SIGN_IN: 'yes' is not true or false")]
    public void Build_BadSetting_StopsWithItsPath(string key, string? value, string expected)
    {
        var errors = StartupErrorsWith((key, value));

        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Build_IdentityBasedConnection_UsesTheSameAccountAndClientId()
    {
        var values = FunctionsHarness.Settings("fstartup", new Uri("http://127.0.0.1:9/hook"));
        values[FunctionsSettings.StorageConnection] = null;
        values["AzureWebJobsStorage:accountName"] = "mailhealthprod";
        values["AzureWebJobsStorage:credential"] = "managedidentity";
        values["AzureWebJobsStorage:clientId"] = "00000000-0000-0000-0000-000000000001";
        using var host = MailHealthFunctionsApp.Build([], configuration => configuration.AddInMemoryCollection(values));

        var storage = host.Services.GetRequiredService<IOptions<StorageOptions>>().Value;
        Assert.Null(storage.ConnectionString);
        Assert.Equal("mailhealthprod", storage.AccountName);
        Assert.Equal("00000000-0000-0000-0000-000000000001", storage.ManagedIdentityClientId);
    }

    [Fact]
    public void Build_ExplicitEndpoints_TheBlobServiceAmongThem()
    {
        var values = FunctionsHarness.Settings("fstartup", new Uri("http://127.0.0.1:9/hook"));
        values[FunctionsSettings.StorageConnection] = null;
        values["AzureWebJobsStorage:tableServiceUri"] = "https://mailhealthprod.table.core.windows.net";
        values["AzureWebJobsStorage:queueServiceUri"] = "https://mailhealthprod.queue.core.windows.net";
        values["AzureWebJobsStorage:blobServiceUri"] = "https://mailhealthprod.blob.core.windows.net";
        using var host = MailHealthFunctionsApp.Build([], configuration => configuration.AddInMemoryCollection(values));

        var storage = host.Services.GetRequiredService<IOptions<StorageOptions>>().Value;
        Assert.Equal(new Uri("https://mailhealthprod.blob.core.windows.net"), storage.BlobServiceUri);
        Assert.Equal(new Uri("https://mailhealthprod.queue.core.windows.net"), storage.QueueServiceUri);
    }

    [Fact]
    public void Build_ExplicitEndpointsWithoutTheBlobService_StopsNamingIt()
    {
        var errors = StartupErrorsWith(
            (FunctionsSettings.StorageConnection, null),
            ("AzureWebJobsStorage:tableServiceUri", "https://mailhealthprod.table.core.windows.net"),
            ("AzureWebJobsStorage:queueServiceUri", "https://mailhealthprod.queue.core.windows.net"));

        Assert.Contains(errors, e => e.Contains("__blobServiceUri", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_ConnectionStringInTheError_NeverQuoted()
    {
        var errors = StartupErrorsWith(("MailHealth:Storage:ConnectionString", "AccountKey=c2VjcmV0"));

        Assert.Contains(errors, e => e.StartsWith("MailHealth:Storage:ConnectionString:", StringComparison.Ordinal));
        Assert.DoesNotContain(errors, e => e.Contains("c2VjcmV0", StringComparison.Ordinal));
    }
}
