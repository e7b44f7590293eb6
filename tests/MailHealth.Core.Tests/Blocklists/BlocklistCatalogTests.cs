using MailHealth.Blocklists;

namespace MailHealth.Core.Tests.Blocklists;

/// <summary>The zone catalog: defaults, per-target zones, unknown zones.</summary>
public sealed class BlocklistCatalogTests
{
    [Fact]
    public void Resolve_Null_GivesTheDefaultsWithIpAndDomainZones()
    {
        var zones = BlocklistCatalog.Default.Resolve(null);

        Assert.Contains(zones, z => z.Name == "zen.spamhaus.org" && z.Kind == BlocklistKind.Ip);
        Assert.Contains(zones, z => z.Name == "dbl.spamhaus.org" && z.Kind == BlocklistKind.Domain);
        Assert.All(zones, z => Assert.NotEmpty(z.Meanings));
    }

    [Fact]
    public void Resolve_TargetZones_ReplaceTheDefaultsOnceEachNormalized()
    {
        var zones = BlocklistCatalog.Default.Resolve(["BL.rep.test.", "bl.rep.test", " dbl.spamhaus.org "]);

        Assert.Equal(["bl.rep.test", "dbl.spamhaus.org"], zones.Select(z => z.Name));
        Assert.Null(zones[0].Kind);
        Assert.Equal(BlocklistKind.Domain, zones[1].Kind);
    }

    [Fact]
    public void With_ReplacesAZoneByName()
    {
        var catalog = BlocklistCatalog.Default.With(BlocklistCatalog.Default.Find("zen.spamhaus.org") with { Name = "bl.rep.test" });

        Assert.Equal(BlocklistKind.Ip, catalog.Find("bl.rep.test").Kind);
        Assert.Null(BlocklistCatalog.Default.Find("bl.rep.test").Kind);
    }
}
