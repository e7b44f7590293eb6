using System.Globalization;
using Azure.Data.Tables;
using MailHealth.Storage.Configuration;
using MailHealth.Storage.Limits;
using MailHealth.Storage.ReceiverReports;
using MailHealth.Storage.Tests.Infrastructure;
using MailHealth.Testing;

namespace MailHealth.Storage.Tests.ReceiverReports;

/// <summary>
/// A domain's source names packed into 64 bucket rows on Azurite: what goes in comes out, rows of
/// the layout before buckets are still read and give way, two writers of one bucket both keep their
/// names, the longest texts fit a full bucket, a full bucket refuses new names, and retention
/// takes out what no kept report saw.
/// </summary>
public sealed class DmarcSenderStoreTests(AzuriteAccount azurite) : IClassFixture<AzuriteAccount>
{
    private static readonly DateOnly Day = DateOnly.FromDateTime(TestClock.Yesterday.UtcDateTime);
    private static readonly DateTimeOffset NamedAt = TestClock.Start;
    private readonly DmarcSenderStore store = new(azurite.Account);

    private static StoredSender Name(string ip, int i = 0, DateTimeOffset? namedAt = null, DateOnly? first = null, DateOnly? last = null) => new()
    {
        Ip = ip,
        PtrName = i % 5 == 4 ? null : $"o{i}.out.mailer{i % 7}.example",
        Confirmed = i % 5 != 3,
        BaseDomain = i % 5 is 3 or 4 ? null : $"mailer{i % 7}.example",
        Problem = (i % 5) switch { 3 => "Unconfirmed", 4 => "NoPtr", _ => "None" },
        SpfResult = i % 6 == 5 ? null : "pass",
        SpfTerm = i % 6 == 5 ? null : "include:_spf.mailer.example",
        SpfMechanism = i % 6 == 5 ? null : $"ip4:{ip}",
        NamedAt = i % 11 == 10 ? null : (namedAt ?? NamedAt).AddSeconds(i),
        FirstSeen = first ?? Day.AddDays(-(i % 3)),
        LastSeen = last ?? Day,
    };

    /// <summary>The first <paramref name="count"/> addresses of <paramref name="candidates"/> whose names go to <paramref name="bucketOf"/>'s bucket.</summary>
    private static List<string> SameBucket(string bucketOf, int count, Func<int, string> candidates) =>
        [.. Enumerable.Range(0, int.MaxValue).Select(candidates).Where(ip => ip != bucketOf && DmarcSenderStore.BucketRowKey(ip) == DmarcSenderStore.BucketRowKey(bucketOf)).Take(count)];

    /// <summary>Address <paramref name="i"/> (0-767) of the three IPv4 documentation ranges.</summary>
    private static string V4(int i) => string.Create(CultureInfo.InvariantCulture, $"{(i / 256) switch { 0 => "192.0.2", 1 => "198.51.100", _ => "203.0.113" }}.{i % 256}");

    private static string V6(int i) => string.Create(CultureInfo.InvariantCulture, $"2001:db8::{i:x}");

    [Fact]
    public async Task ManyNames_SpreadOverEveryBucket_InOneTransaction_ReadBackAsWritten()
    {
        var names = Enumerable.Range(0, 5_000)
            .Select(i => Name(i % 2 == 1 && i < 1_536 ? V4(i / 2) : V6(i), i))
            .ToList();

        var write = await store.WriteAsync("many.example", names);

        Assert.Equal((1, 0), (write.Transactions, write.Refused.Count));
        Assert.Equal(64, (await RowsAsync("many.example")).Count);
        var listed = (await store.ListAsync("many.example")).ToDictionary(s => s.Ip);
        Assert.Equal(names.Count, listed.Count);
        Assert.All(names, n => Assert.Equal(n, listed[n.Ip]));

        // Two names written again: their buckets only, and what did not change is not written.
        var again = await store.WriteAsync("many.example", [names[0] with { LastSeen = Day.AddDays(1) }, names[1]]);

        Assert.Equal(1, again.Transactions);
        Assert.Equal(Day.AddDays(1), (await store.ListAsync("many.example")).Single(s => s.Ip == names[0].Ip).LastSeen);
        Assert.Equal(0, (await store.WriteAsync("many.example", [names[1]])).Transactions);
    }

    [Fact]
    public async Task RowsOfTheLayoutBeforeBuckets_AreRead_AndABucketsNameWins_AndTakesTheRowAway()
    {
        var table = azurite.Account.Table(StorageTables.DmarcSenders);
        var (renamed, kept) = ("192.0.2.10", "2001:db8::10");
        await table.UpsertEntityAsync(OldRow("old.example", Name(renamed, 1) with { FirstSeen = Day.AddDays(-5), LastSeen = Day.AddDays(-1) }));
        await table.UpsertEntityAsync(OldRow("old.example", Name(kept, 2)));

        var before = (await store.ListAsync("old.example")).ToDictionary(s => s.Ip);

        Assert.Equal(Name(kept, 2), before[kept]);
        Assert.Equal((Day.AddDays(-5), "o1.out.mailer1.example"), (before[renamed].FirstSeen, before[renamed].PtrName));

        await store.WriteAsync("old.example", [Name(renamed, 3, NamedAt.AddHours(1))]);

        var after = (await store.ListAsync("old.example")).ToDictionary(s => s.Ip);
        Assert.Equal(2, after.Count);
        // The newer naming, with the days of both.
        Assert.Equal(Name(renamed, 3, NamedAt.AddHours(1)) with { FirstSeen = Day.AddDays(-5) }, after[renamed]);
        Assert.Equal(Name(kept, 2), after[kept]);
        var rows = (await RowsAsync("old.example")).Select(r => r.RowKey).ToList();
        Assert.DoesNotContain(renamed, rows);
        Assert.Contains(kept, rows);

        // An old row left beside a bucket's name of the same address (a write that deleted no more): the bucket's name is listed.
        await table.UpsertEntityAsync(OldRow("old.example", Name(renamed, 4)));
        Assert.Equal("o3.out.mailer3.example", (await store.ListAsync("old.example")).Single(s => s.Ip == renamed).PtrName);
    }

    [Fact]
    public async Task TwoWriters_OfOneBucket_EachReadingBeforeTheOtherWrote_BothKeepTheirNames()
    {
        var first = "198.51.100.30";
        var others = SameBucket(first, 2, V6);
        var (second, third) = (others[0], others[1]);

        // The bucket has no row yet: both add it, the second finds it added (409), reads again and merges.
        var one = await store.ReadAsync("race.example");
        var two = await store.ReadAsync("race.example");
        await store.WriteAsync(one, [Name(first, 1)]);
        await store.WriteAsync(two, [Name(second, 2)]);

        Assert.Equal([first, second], (await store.ListAsync("race.example")).Select(s => s.Ip).Order(StringComparer.Ordinal));
        Assert.Single(await RowsAsync("race.example"));

        // The bucket has a row: the second's ETag no longer matches (412). The same address from
        // both: the newer naming wins wherever it came from, and the seen days widen to both.
        one = await store.ReadAsync("race.example");
        two = await store.ReadAsync("race.example");
        await store.WriteAsync(one, [Name(first, 5, NamedAt.AddHours(2), last: Day.AddDays(1)), Name(third, 3)]);
        await store.WriteAsync(two, [Name(first, 6, NamedAt.AddHours(1), first: Day.AddDays(-9))]);

        var listed = (await store.ListAsync("race.example")).ToDictionary(s => s.Ip);
        Assert.Equal(3, listed.Count);
        Assert.Equal(Name(first, 5, NamedAt.AddHours(2), first: Day.AddDays(-9), last: Day.AddDays(1)), listed[first]);
        Assert.Equal(Name(second, 2), listed[second]);
        Assert.Equal(Name(third, 3), listed[third]);
    }

    [Fact]
    public async Task FullBucket_OfTheLongestAddressesAndNames_Fits_AndRefusesANewAddress_ButNotARenaming()
    {
        // 45 characters, the longest text of an IPv6 address; names and SPF terms of random labels (they compress little).
        static string Longest(int i) => string.Create(CultureInfo.InvariantCulture, $"2001:0db8:0000:0000:0000:ffff:255.{(i >> 16) & 255:D3}.{(i >> 8) & 255:D3}.{i & 255:D3}");
        var random = new Random(16);
        string Text(int length) => string.Join('.', Enumerable.Range(0, (length + 63) / 64).Select(_ => new string([.. Enumerable.Range(0, 63).Select(_ => (char)('a' + random.Next(26)))])))[..length];
        var addresses = SameBucket(Longest(0), DmarcSenderStore.MaxNamesPerBucket + 2, Longest);
        Assert.All(addresses, a => Assert.Equal(45, a.Length));
        var full = addresses.Take(DmarcSenderStore.MaxNamesPerBucket).Select((ip, i) => new StoredSender
        {
            Ip = ip,
            PtrName = Text(253),
            Confirmed = true,
            BaseDomain = Text(253),
            Problem = "NotNamedInTime",
            SpfResult = "temperror",
            SpfTerm = "include:" + Text(247),
            SpfMechanism = "include:" + Text(247),
            NamedAt = NamedAt.AddTicks(i),
            FirstSeen = Day,
            LastSeen = Day,
        }).ToList();

        var write = await store.WriteAsync("full.example", full);

        Assert.Empty(write.Refused);
        var rows = await RowsAsync("full.example");
        Assert.InRange(rows.Count, 2, 3);
        Assert.All(rows, r => Assert.InRange(EntityGuard.EstimatedWireBytes(r), 1, TableLimits.MaxEntityBytes));
        var listed = (await store.ListAsync("full.example")).ToDictionary(s => s.Ip);
        Assert.Equal(full.Count, listed.Count);
        Assert.All(full, n => Assert.Equal(n, listed[n.Ip]));

        // Full: the bucket's next new address is refused (and said to be before any write), a renaming of one it holds is not.
        var (extra, renamed) = (addresses[^1], full[0] with { PtrName = "renamed.example", NamedAt = NamedAt.AddDays(1) });
        Assert.Equal([extra], (await store.ReadAsync("full.example")).BeyondCapacity([full[1].Ip, extra]));

        var atCap = await store.WriteAsync("full.example", [Name(extra), renamed]);

        Assert.Equal([extra], atCap.Refused);
        listed = (await store.ListAsync("full.example")).ToDictionary(s => s.Ip);
        Assert.Equal(DmarcSenderStore.MaxNamesPerBucket, listed.Count);
        Assert.False(listed.ContainsKey(extra));
        Assert.Equal("renamed.example", listed[full[0].Ip].PtrName);
    }

    [Fact]
    public async Task Purge_TakesOutNamesLastSeenBeforeTheCutOff_DeletesEmptiedBuckets_AndOldRows()
    {
        var table = azurite.Account.Table(StorageTables.DmarcSenders);
        var stale = Name("203.0.113.1", 1, first: Day.AddDays(-20), last: Day.AddDays(-10));
        var sharing = SameBucket(stale.Ip, 1, V6)[0];
        var fresh = Name(sharing, 2);
        var staleAlone = Enumerable.Range(0, int.MaxValue).Select(i => V6(i + 0x2000))
            .First(ip => DmarcSenderStore.BucketRowKey(ip) != DmarcSenderStore.BucketRowKey(stale.Ip));
        await store.WriteAsync("purge.example", [stale, fresh, Name(staleAlone, 3, first: Day.AddDays(-12), last: Day.AddDays(-11))]);
        // Old rows: one last seen before the cut-off, one kept, one shadowed by the bucket's name of its address.
        await table.UpsertEntityAsync(OldRow("purge.example", Name("192.0.2.50", 5, first: Day.AddDays(-30), last: Day.AddDays(-8))));
        await table.UpsertEntityAsync(OldRow("purge.example", Name("192.0.2.51", 6)));
        await table.UpsertEntityAsync(OldRow("purge.example", Name(sharing, 7)));

        var removed = await store.PurgeAsync("purge.example", Day.AddDays(-7));

        Assert.Equal(3, removed);
        Assert.Equal(["192.0.2.51", sharing], (await store.ListAsync("purge.example")).Select(s => s.Ip).Order(StringComparer.Ordinal));
        Assert.Equal(fresh, (await store.ListAsync("purge.example")).Single(s => s.Ip == sharing));
        var rows = (await RowsAsync("purge.example")).Select(r => r.RowKey).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["192.0.2.51", DmarcSenderStore.BucketRowKey(sharing)], rows);
        Assert.Equal(0, await store.PurgeAsync("purge.example", Day.AddDays(-7)));
    }

    /// <summary>A row as the release before buckets wrote it: one address, its name in columns.</summary>
    private static TableEntity OldRow(string domain, StoredSender sender) => new(domain, sender.Ip)
    {
        ["Ip"] = sender.Ip,
        ["PtrName"] = sender.PtrName,
        ["Confirmed"] = sender.Confirmed,
        ["BaseDomain"] = sender.BaseDomain,
        ["Problem"] = sender.Problem,
        ["SpfResult"] = sender.SpfResult,
        ["SpfTerm"] = sender.SpfTerm,
        ["SpfMechanism"] = sender.SpfMechanism,
        ["NamedAt"] = sender.NamedAt,
        ["FirstSeen"] = new DateTimeOffset(sender.FirstSeen.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
        ["LastSeen"] = new DateTimeOffset(sender.LastSeen.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
    };

    private async Task<List<TableEntity>> RowsAsync(string domain)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in azurite.Account.Table(StorageTables.DmarcSenders).QueryAsync<TableEntity>(r => r.PartitionKey == domain))
        {
            rows.Add(row);
        }

        return rows;
    }
}
