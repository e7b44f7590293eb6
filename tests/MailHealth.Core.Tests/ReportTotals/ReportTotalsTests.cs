using MailHealth.Core.Tests.ReceiverReports;
using MailHealth.ReportTotals;
using MailHealth.Testing.Reports;

namespace MailHealth.Core.Tests.ReportTotals;

/// <summary>
/// The pure parts of storing a report once: what makes two reports the same (its identity key)
/// and how a range is spread over UTC days.
/// </summary>
public sealed class ReportTotalsTests
{
    private static readonly DateTimeOffset Day = ReportReading.Day;

    private static ReportIdentity Identity(AggregateReportSpec spec) => ReportIdentity.Of(ReportReading.Parsed(AggregateXml.Bytes(spec)).Report)!;

    private static AggregateReportSpec Report => Reporters.Google("example.com", Day, AggregateRows.Mixed("example.com", 3, 2));

    [Fact]
    public void Identity_TheSameReportSpeltOtherwise_IsTheSameKey()
    {
        var spelt = Report with { OrgName = "  Google.COM ", Domain = "EXAMPLE.com.", ReportId = " " + Report.ReportId + " " };

        Assert.Equal(Identity(Report).Key, Identity(spelt).Key);
        Assert.Equal("example.com", Identity(spelt).PolicyDomain);
        Assert.Matches("^[0-9a-f]{32}$", Identity(Report).Key);
    }

    [Fact]
    public void Identity_AnotherOrganisationDomainIdOrRange_IsAnotherKey()
    {
        var keys = new[]
        {
            Report,
            Report with { OrgName = "yahoo.com" },
            Report with { Domain = "example.org" },
            Report with { ReportId = Report.ReportId + "0" },
            Report.ForDay(Day.AddDays(1)),
        }.Select(r => Identity(r).Key);

        Assert.Equal(5, keys.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Spread_ADayFromMidnightTo235959_IsThatDayWhole()
    {
        var share = Assert.Single(ReportDays.Spread(Day, Day.AddDays(1).AddSeconds(-1)));

        Assert.Equal((DateOnly.FromDateTime(Day.UtcDateTime), 1.0), (share.Day, share.Share));
        Assert.Equal(1, ReportDays.Count(Day, Day.AddDays(1)));
    }

    [Fact]
    public void Spread_NoonToNoonTwoDaysLater_InProportionToTheTimeOnEachDay()
    {
        var shares = ReportDays.Spread(Day.AddHours(12), Day.AddDays(2).AddHours(12));

        Assert.Equal([0.25, 0.5, 0.25], shares.Select(s => s.Share));
        Assert.Equal(
            [DateOnly.FromDateTime(Day.UtcDateTime), DateOnly.FromDateTime(Day.UtcDateTime).AddDays(1), DateOnly.FromDateTime(Day.UtcDateTime).AddDays(2)],
            shares.Select(s => s.Day));
        Assert.Equal(3, ReportDays.Count(Day.AddHours(12), Day.AddDays(2).AddHours(12)));
    }

    [Fact]
    public void Spread_AnOddRange_SharesAddUpToExactlyOne_AndTheRangeInAnotherZoneCountsInUtcDays()
    {
        var begin = new DateTimeOffset(2026, 5, 1, 23, 0, 0, TimeSpan.FromHours(-7));
        var shares = ReportDays.Spread(begin, begin.AddHours(49).AddSeconds(7));

        Assert.Equal(1.0, shares.Sum(s => s.Share), 12);
        Assert.Equal(new DateOnly(2026, 5, 2), shares[0].Day);
        Assert.Equal(shares.Count, ReportDays.Count(begin, begin.AddHours(49).AddSeconds(7)));
    }

    [Fact]
    public void Spread_AnEmptyOrReversedRange_CountsWholeOnTheDayItStarts()
    {
        var share = Assert.Single(ReportDays.Spread(Day.AddHours(5), Day.AddHours(5)));

        Assert.Equal(1.0, share.Share);
        Assert.Single(ReportDays.Spread(Day.AddHours(5), Day.AddHours(-30)));
        Assert.Equal(1, ReportDays.Count(Day.AddHours(5), Day.AddHours(-30)));
    }
}
