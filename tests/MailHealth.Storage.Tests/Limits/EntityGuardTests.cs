using Azure;
using Azure.Data.Tables;
using MailHealth.Storage.Limits;

namespace MailHealth.Storage.Tests.Limits;

public sealed class EntityGuardTests
{
    [Fact]
    public void Check_CountsLikeTheService()
    {
        var entity = new TableEntity("pk", "rk") { ["Name"] = "abc", ["Count"] = 3, ["Data"] = new byte[10], ["At"] = DateTimeOffset.UnixEpoch };

        // 4 + 2*(2+2) + (8+8+10) + (8+10+4) + (8+8+14) + (8+4+8)
        Assert.Equal(4 + 8 + 26 + 22 + 30 + 20, EntityGuard.Check(entity));
    }

    [Fact]
    public void Check_StringOver32KiCharacters_Throws()
    {
        var entity = new TableEntity("pk", "rk") { ["Text"] = new string('x', (32 * 1024) + 1) };

        var error = Assert.Throws<TableLimitException>(() => EntityGuard.Check(entity));
        Assert.Contains("Text", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_StringOf32KiCharacters_Passes()
    {
        Assert.True(EntityGuard.Check(new TableEntity("pk", "rk") { ["Text"] = new string('x', 32 * 1024) }) > 65536);
    }

    [Fact]
    public void Check_BinaryOver64KiB_Throws()
    {
        var entity = new TableEntity("pk", "rk") { ["Blob"] = new byte[(64 * 1024) + 1] };

        Assert.Throws<TableLimitException>(() => EntityGuard.Check(entity));
    }

    [Fact]
    public void Check_253Properties_Throws()
    {
        var entity = new TableEntity("pk", "rk");
        for (var i = 0; i < 253; i++)
        {
            entity[$"P{i}"] = i;
        }

        var error = Assert.Throws<TableLimitException>(() => EntityGuard.Check(entity));
        Assert.Contains("253 properties", error.Message, StringComparison.Ordinal);
        entity.Remove("P252");
        EntityGuard.Check(entity);
    }

    [Fact]
    public void Check_EntityOver1MiB_Throws()
    {
        var entity = new TableEntity("pk", "rk");
        for (var i = 0; i < 17; i++)
        {
            entity[$"B{i}"] = new byte[64 * 1024];
        }

        var error = Assert.Throws<TableLimitException>(() => EntityGuard.Check(entity));
        Assert.Contains("limit is 1048576", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_KeyOver1KiB_Throws()
    {
        Assert.Throws<TableLimitException>(() => EntityGuard.Check(new TableEntity(new string('k', 513), "rk")));
    }

    [Fact]
    public void CheckBatch_101Operations_Throws()
    {
        var actions = Enumerable.Range(0, 101)
            .Select(i => new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity("pk", $"r{i}")))
            .ToList();

        Assert.Throws<TableLimitException>(() => EntityGuard.CheckBatch(actions));
        EntityGuard.CheckBatch(actions.Take(100).ToList());
    }

    [Fact]
    public void CheckBatch_TwoPartitions_Throws()
    {
        var actions = new List<TableTransactionAction>
        {
            new(TableTransactionActionType.UpsertReplace, new TableEntity("a", "1")),
            new(TableTransactionActionType.Delete, new TableEntity("b", "1"), ETag.All),
        };

        var error = Assert.Throws<TableLimitException>(() => EntityGuard.CheckBatch(actions));
        Assert.Contains("2 partitions", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckBatch_Over4MiB_Throws()
    {
        var actions = Enumerable.Range(0, 6)
            .Select(i =>
            {
                var entity = new TableEntity("pk", $"r{i}");
                for (var j = 0; j < 10; j++)
                {
                    entity[$"B{j}"] = new byte[64 * 1024];
                }

                return new TableTransactionAction(TableTransactionActionType.UpsertReplace, entity);
            })
            .ToList();

        Assert.Throws<TableLimitException>(() => EntityGuard.CheckBatch(actions));
    }
}
