using MailHealth.Storage.ReceiverReports;
using MailHealth.Storage.Tests.Infrastructure;
using MailHealth.Testing;

namespace MailHealth.Storage.Tests.ReceiverReports;

/// <summary>The index of the domains reports arrived for, on Azurite: rows only widen, and a report inside what this process last noted costs nothing.</summary>
public sealed class ReportDomainIndexTests(AzuriteAccount azurite) : IClassFixture<AzuriteAccount>
{
    private static readonly DateTimeOffset Begin = TestClock.Yesterday;
    private static readonly DateTimeOffset End = Begin.AddDays(1).AddSeconds(-1);
    private static readonly DateTimeOffset Received = TestClock.Start;

    private async Task<ReportDomain> RowAsync(string domain) =>
        (await new ReportDomainIndex(azurite.Account).ListAsync()).Single(d => d.Domain == domain);

    [Fact]
    public async Task ReportInsideTheNotedRange_WithinTheHour_WritesNothing_AWiderOneWidensAtOnce()
    {
        var index = new ReportDomainIndex(azurite.Account);
        await index.NoteAsync("inside.example", Begin, End, Received);

        await index.NoteAsync("inside.example", Begin.AddHours(1), End, Received.AddMinutes(10));
        Assert.Equal(new ReportDomain("inside.example", Begin, End, Received), await RowAsync("inside.example"));

        await index.NoteAsync("inside.example", Begin.AddDays(-1), End.AddDays(-1), Received.AddMinutes(20));
        Assert.Equal(new ReportDomain("inside.example", Begin.AddDays(-1), End, Received.AddMinutes(20)), await RowAsync("inside.example"));

        await index.NoteAsync("inside.example", Begin, End, Received.AddMinutes(20) + ReportDomainIndex.ReceiptPrecision);
        Assert.Equal(Received.AddMinutes(20) + ReportDomainIndex.ReceiptPrecision, (await RowAsync("inside.example")).LastReceivedAt);
    }

    [Fact]
    public async Task AnotherProcess_RemembersNothing_AndWritesItsReceipt()
    {
        await new ReportDomainIndex(azurite.Account).NoteAsync("two.example", Begin, End, Received);

        await new ReportDomainIndex(azurite.Account).NoteAsync("two.example", Begin, End, Received.AddMinutes(5));

        Assert.Equal(Received.AddMinutes(5), (await RowAsync("two.example")).LastReceivedAt);
    }

    [Fact]
    public async Task ForgottenDomain_IsNotedAgain_ByTheProcessThatForgotIt()
    {
        var index = new ReportDomainIndex(azurite.Account);
        await index.NoteAsync("forgot.example", Begin, End, Received);

        Assert.True(await index.ForgetAsync("forgot.example", End.AddDays(1)));
        await index.NoteAsync("forgot.example", Begin, End, Received.AddMinutes(1));

        Assert.Equal(new ReportDomain("forgot.example", Begin, End, Received.AddMinutes(1)), await RowAsync("forgot.example"));
    }
}
