using DnsClient;
using MailHealth.Dns;
using MailHealth.Testing;
using MailHealth.Testing.Dns;

namespace MailHealth.Core.Tests.Dns;

/// <summary>
/// The resolver against hostile servers (tests/MailHealth.Testing/Dns/ScriptedDnsServer.cs) and
/// against hostile but valid data that Knot serves (eng/peers/zones/auth.test.zone.in): every
/// answer comes back as data, in bounded time, never as an exception.
/// </summary>
public sealed class DnsResolverTests
{
    // Short for a server that never answers; generous for one that answers at once, so a slow
    // first run (JIT, a busy machine) is not mistaken for a timeout.
    private static DnsResolver ResolverFor(ScriptedDnsServer server, DnsFault fault) =>
        server.Resolver(fault == DnsFault.Drop ? TimeSpan.FromMilliseconds(300) : TimeSpan.FromSeconds(3));

    [Fact]
    public async Task Query_ServerDropsEveryQuery_TimesOut()
    {
        await using var server = ScriptedDnsServer.Start(DnsFault.Drop);

        var answer = await ResolverFor(server, DnsFault.Drop).GetTxtAsync("_dmarc.example.test");

        Assert.Equal(DnsOutcome.Timeout, answer.Outcome);
        Assert.Equal(DnsFindingCodes.Timeout, answer.FailureCode);
        Assert.True(server.Queries >= 1);
    }

    [Fact]
    public async Task Query_ServFail_IsServerFailure()
    {
        await using var server = ScriptedDnsServer.Start(DnsFault.ServerFailure);

        var answer = await ResolverFor(server, DnsFault.ServerFailure).GetTxtAsync("_dmarc.example.test");

        Assert.Equal(DnsOutcome.ServerFailure, answer.Outcome);
        Assert.Equal(DnsFindingCodes.ServFail, answer.FailureCode);
    }

    [Fact]
    public async Task Query_Refused_IsAFailureNotAnEmptyAnswer()
    {
        await using var server = ScriptedDnsServer.Start(DnsFault.Refused);

        var answer = await ResolverFor(server, DnsFault.Refused).GetTxtAsync("_dmarc.example.test");

        Assert.Equal(DnsOutcome.Failure, answer.Outcome);
        Assert.False(answer.Answered);
        Assert.Equal(DnsFindingCodes.ServFail, answer.FailureCode);
    }

    [Theory]
    [InlineData(DnsFault.Garbage)]
    [InlineData(DnsFault.Malformed)]
    [InlineData(DnsFault.TruncatedThenClosed)]
    public async Task Query_BrokenAnswer_IsUnansweredWithAFailureCode(DnsFault mode)
    {
        await using var server = ScriptedDnsServer.Start(mode);

        var answer = await ResolverFor(server, mode).QueryAsync("selector._domainkey.example.test", QueryType.TXT);

        Assert.False(answer.Answered);
        Assert.NotNull(answer.FailureCode);
        Assert.Empty(answer.Records);
    }

    [Fact]
    public async Task Query_FourKilobyteRecord_ArrivesWholeOverTcp()
    {
        var answer = await Peers.Resolver().GetTxtAsync("big._domainkey.keys.auth.test");

        Assert.Equal(DnsOutcome.Success, answer.Outcome);
        var record = Assert.Single(answer.TxtRecords());
        Assert.True(record.Length > 4096, $"record of {record.Length} characters");
        Assert.EndsWith("IDAQAB", record, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_RecordInManyShortStrings_IsJoinedWithoutSeparator()
    {
        var many = await Peers.Resolver().GetTxtAsync("many._domainkey.keys.auth.test");
        var whole = await Peers.Resolver().GetTxtAsync("rsa2048._domainkey.keys.auth.test");

        Assert.Equal(Assert.Single(whole.TxtRecords()), Assert.Single(many.TxtRecords()));
    }

    [Fact]
    public async Task Query_CnameLoop_EndsWithoutRecords()
    {
        var answer = await Peers.Resolver().GetTxtAsync("loop1._domainkey.keys.auth.test");

        Assert.True(answer.Answered);
        Assert.Empty(answer.TxtRecords());
    }
}
