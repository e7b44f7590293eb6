using System.Globalization;
using Azure.Data.Tables;
using MailHealth.ReportTotals;
using MailHealth.Storage.Configuration;
using MailHealth.Storage.Limits;
using MailHealth.Storage.ReceiverReports;
using MailHealth.Storage.Tests.Infrastructure;
using MailHealth.Testing;

namespace MailHealth.Storage.Tests.ReceiverReports;

/// <summary>A report's sources packed into rows on Azurite: what goes in comes out, full rows fit the service's limits, and rows of the first release still count.</summary>
public sealed class DmarcSourceStoreTests(AzuriteAccount azurite) : IClassFixture<AzuriteAccount>
{
    private static readonly DateOnly Day = DateOnly.FromDateTime(TestClock.Yesterday.UtcDateTime);
    private const string Input = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private readonly DmarcSourceStore store = new(azurite.Account);

    private static DmarcCounts Counts(params double[] values) => DmarcCounts.FromValues(values);

    private static ReportDayTotals Committed(string reportKey, string input = Input) =>
        new(Day, "dmarc", reportKey, input, "org", "id", 1, 0, null, null);

    [Fact]
    public async Task FullRowOfTheLongestAddresses_EveryCountSet_FitsTheLimits_AndReadsBackAsWritten()
    {
        // 45 characters: the longest text form of an IPv6 address.
        var sources = Enumerable.Range(0, DmarcSourceStore.MaxSourcesPerRow)
            .Select(i => KeyValuePair.Create(string.Create(CultureInfo.InvariantCulture, $"2001:0db8:0000:0000:0000:ffff:255.000.{i / 256:D3}.{i % 256:D3}"), Counts(i + 1, 2, 3, 4, 5, 6, 7, 8, 9, 10.5)))
            .ToArray();
        Assert.All(sources, s => Assert.Equal(45, s.Key.Length));
        var key = new string('a', 32);

        var transactions = await store.WriteAsync("full.example", key, Input, 0, 0, [new DayShare(Day, 0.5)], [sources]);

        Assert.Equal(1, transactions);
        var row = Assert.Single(await RowsAsync("full.example"));
        Assert.InRange(EntityGuard.EstimatedWireBytes(row), 1, TableLimits.MaxEntityBytes);
        var listed = await store.ListAsync("full.example", Day, [Committed(key)]);
        Assert.Equal(sources.Length, listed.Count);
        var first = listed.Single(s => s.SourceIp == sources[0].Key);
        Assert.Equal([0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5.25], first.Counts.Values);
        Assert.Equal(1, first.Reports);
    }

    [Fact]
    public async Task CountsThatAreZero_StayZero_AndTwoReportsOfOneSourceAddUp()
    {
        var (one, two) = (new string('b', 32), new string('c', 32));
        await store.WriteAsync("sum.example", one, Input, 0, 0, [new DayShare(Day, 1)], [[KeyValuePair.Create("192.0.2.1", Counts(3, 0, 0, 0, 0, 0, 3, 0, 0, 0))]]);
        await store.WriteAsync("sum.example", two, Input, 0, 0, [new DayShare(Day, 1)], [[KeyValuePair.Create("192.0.2.1", Counts(2, 2, 2, 0, 2, 0, 0, 0, 2, 0)), KeyValuePair.Create("198.51.100.7", Counts(1, 1, 1, 1, 1, 1, 1, 0, 0, 0))]]);

        var listed = await store.ListAsync("sum.example", Day, [Committed(one), Committed(two)]);

        var shared = listed.Single(s => s.SourceIp == "192.0.2.1");
        Assert.Equal([5, 2, 2, 0, 2, 0, 3, 0, 2, 0], shared.Counts.Values);
        Assert.Equal(2, shared.Reports);
        Assert.Equal(["192.0.2.1", "198.51.100.7"], listed.Select(s => s.SourceIp));
    }

    [Fact]
    public async Task RowsOfAReportNotCommitted_CountForNothing()
    {
        var (committed, pending) = (new string('d', 32), new string('e', 32));
        await store.WriteAsync("pending.example", committed, Input, 0, 0, [new DayShare(Day, 1)], [[KeyValuePair.Create("192.0.2.2", Counts(4, 4, 4, 4, 4, 4, 4, 0, 0, 0))]]);
        await store.WriteAsync("pending.example", pending, Input, 0, 0, [new DayShare(Day, 1)], [[KeyValuePair.Create("192.0.2.2", Counts(9, 0, 0, 0, 0, 0, 9, 0, 0, 0))]]);

        var listed = await store.ListAsync("pending.example", Day, [Committed(committed)]);

        Assert.Equal(4, Assert.Single(listed).Counts.Messages);
    }

    [Fact]
    public async Task SingleSourceRowOfTheFirstRelease_StillCounts_BesidePackedOnes()
    {
        var (old, packed) = (new string('f', 32), new string('0', 32));
        var table = azurite.Account.Table(StorageTables.DmarcSources);
        // The row the first release of ingestion wrote: one source, its counts as columns.
        var legacy = new TableEntity($"legacy.example|{Day:yyyyMMdd}", $"{old}_{Input[..16]}_000_192.0.2.3") { ["SourceIp"] = "192.0.2.3" };
        foreach (var (name, value) in DmarcCounts.Names.Zip(new double[] { 6, 6, 6, 0, 6, 0, 6, 0, 0, 0 }))
        {
            legacy[name] = value;
        }

        await table.UpsertEntityAsync(legacy);
        await store.WriteAsync("legacy.example", packed, Input, 0, 0, [new DayShare(Day, 1)], [[KeyValuePair.Create("192.0.2.3", Counts(1, 0, 0, 0, 0, 0, 1, 0, 0, 0))]]);

        var listed = await store.ListAsync("legacy.example", Day, [Committed(old), Committed(packed)]);

        var source = Assert.Single(listed);
        Assert.Equal((7.0, 6.0, 2), (source.Counts.Messages, source.Counts.DmarcPass, source.Reports));
    }

    private async Task<List<TableEntity>> RowsAsync(string domain)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in azurite.Account.Table(StorageTables.DmarcSources).QueryAsync<TableEntity>(r => r.PartitionKey == $"{domain}|{Day:yyyyMMdd}"))
        {
            rows.Add(row);
        }

        return rows;
    }
}
