using System.Net;
using MailHealth.Reports;
using MailHealth.Storage.Paging;
using MailHealth.Storage.Tables;
using MailHealth.Storage.Targets;
using MailHealth.Storage.Tests.Infrastructure;
using MailHealth.Targets;

namespace MailHealth.Storage.Tests.Targets;

public sealed class TargetStoreTests(AzuriteAccount azurite) : IClassFixture<AzuriteAccount>
{
    private readonly TargetStore store = new(azurite.Account);

    [Fact]
    public async Task UpsertAsync_ThenGet_RoundTripsEveryField()
    {
        var target = TestReports.Target("targets-a") with
        {
            Hosts = ["mx1.example.com"],
            Ports = [new PortSpec(25, SmtpRole.Smtp), new PortSpec(2525, SmtpRole.Smtp)],
            DkimSelectors = ["s1"],
            SendingIps = [IPAddress.Parse("192.0.2.10"), IPAddress.Parse("2001:db8::1")],
            DnsblZones = ["bl.example"],
            RelayTest = true,
            Enabled = false,
            Tags = ["prod", "customer-7"],
            Credentials = new SmtpCredentials("user", "secret-password"),
        };

        await store.UpsertAsync(target);

        var stored = (await store.GetAsync("targets-a"))!.Target;
        Assert.Equal(ReportJson.Serialize(target), ReportJson.Serialize(stored));
        Assert.False(stored.Enabled);
        Assert.Equal(["prod", "customer-7"], stored.Tags);
        Assert.Null(stored.Credentials);
    }

    [Fact]
    public async Task UpsertAllAsync_ManyTargets_AHundredToATransaction()
    {
        await store.UpsertAsync(TestReports.Target("targets-many-000") with { Domain = "before.example" });
        var targets = Enumerable.Range(0, 250).Select(i => TestReports.Target($"targets-many-{i:D3}") with { Domain = $"d{i}.example" }).ToList();

        var transactions = await store.UpsertAllAsync(targets);

        Assert.Equal(3, transactions);
        Assert.Equal("d0.example", (await store.GetAsync("targets-many-000"))!.Target.Domain);
        Assert.Equal("d249.example", (await store.GetAsync("targets-many-249"))!.Target.Domain);
        Assert.Equal(250, (await AllAsync(enabledOnly: false)).Count(id => id.StartsWith("targets-many-", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ListAsync_EnabledOnly_SkipsDisabledTargets()
    {
        await store.UpsertAsync(TestReports.Target("targets-b1"));
        await store.UpsertAsync(TestReports.Target("targets-b2") with { Enabled = false });

        var enabled = await AllAsync(enabledOnly: true);
        var all = await AllAsync(enabledOnly: false);

        Assert.Contains("targets-b1", enabled);
        Assert.DoesNotContain("targets-b2", enabled);
        Assert.Contains("targets-b2", all);
    }

    [Fact]
    public async Task UpdateAsync_StaleETag_ThrowsConcurrency()
    {
        var first = await store.UpsertAsync(TestReports.Target("targets-c"));
        await store.UpdateAsync(first.Target with { Domain = "one.example" }, first.ETag);

        await Assert.ThrowsAsync<StorageConcurrencyException>(() => store.UpdateAsync(first.Target with { Domain = "two.example" }, first.ETag));
        Assert.Equal("one.example", (await store.GetAsync("targets-c"))!.Target.Domain);
    }

    [Fact]
    public async Task DeleteAsync_RemovesTheTarget()
    {
        await store.UpsertAsync(TestReports.Target("targets-d"));

        Assert.True(await store.DeleteAsync("targets-d"));
        Assert.Null(await store.GetAsync("targets-d"));
        Assert.False(await store.DeleteAsync("targets-d"));
    }

    [Fact]
    public async Task GetAsync_IdWithODataOperators_FindsOnlyThatTarget()
    {
        const string Hostile = "t' or RowKey ne 'x";
        await store.UpsertAsync(TestReports.Target("targets-e"));
        await store.UpsertAsync(TestReports.Target(Hostile));

        Assert.Equal(Hostile, (await store.GetAsync(Hostile))!.Target.Id);
        Assert.Null(await store.GetAsync("' or ''='"));
    }

    [Fact]
    public async Task ListAsync_MalformedContinuation_ThrowsInvalidContinuationToken()
    {
        await Assert.ThrowsAsync<InvalidContinuationTokenException>(() => store.ListAsync(10, "djEuZm9yZ2VkLnh4"));
    }

    private async Task<List<string>> AllAsync(bool enabledOnly)
    {
        var ids = new List<string>();
        await foreach (var target in store.AllAsync(enabledOnly))
        {
            ids.Add(target.Id);
        }

        return ids;
    }
}
