using System.Net;
using MailHealth.Spf;
using MailHealth.Testing;

namespace MailHealth.Core.Tests.Spf;

/// <summary>
/// Which term decided an evaluation, and the include/redirect terms that led there, against the
/// peers' senders.test zone (brand.senders.test and the records it includes).
/// </summary>
public sealed class SpfMatchTests
{
    private static Task<SpfEvaluation> EvaluateAsync(string domain, string ip) =>
        new SpfEvaluator(Peers.Resolver(), TimeProvider.System)
            .CheckHostAsync(new SpfRequest(IPAddress.Parse(ip), $"postmaster@{domain}", domain));

    [Fact]
    public async Task Match_InsideTwoIncludes_KeepsTheTopTermAndTheInnermost()
    {
        var evaluation = await EvaluateAsync("brand.senders.test", "192.0.2.216");

        Assert.Equal(SpfResult.Pass, evaluation.Result);
        var match = Assert.IsType<SpfMatch>(evaluation.Match);
        Assert.Equal("ip4:192.0.2.216", match.Mechanism);
        Assert.Equal("_netblocks.mailer.senders.test", match.Domain);
        Assert.Equal(["include:_spf.mailer.senders.test", "include:_netblocks.mailer.senders.test"], match.Path);
        Assert.Equal("include:_spf.mailer.senders.test", match.TopTerm);
    }

    [Fact]
    public async Task Match_AfterAnIncludeThatSoftfails_IsTheIncludesOwnTerm()
    {
        // _spf.mailer ends in ~all: a softfail there is no match of the include (RFC 7208
        // section 5.2), and ip6 in the included record matched before it.
        var evaluation = await EvaluateAsync("brand.senders.test", "2001:db8:5e::25");

        Assert.Equal(SpfResult.Pass, evaluation.Result);
        Assert.Equal("ip6:2001:db8:5e::/48", evaluation.Match!.Mechanism);
        Assert.Equal(["include:_spf.mailer.senders.test"], evaluation.Match.Path);
    }

    [Theory]
    [InlineData("198.51.100.221", "ip4:198.51.100.220/30")]
    [InlineData("203.0.113.230", "a:mx230.senders.test")]
    public async Task Match_TopLevelTerm_HasNoPath(string ip, string term)
    {
        var evaluation = await EvaluateAsync("brand.senders.test", ip);

        Assert.Equal(SpfResult.Pass, evaluation.Result);
        Assert.Equal(term, evaluation.Match!.TopTerm);
        Assert.Empty(evaluation.Match.Path);
        Assert.Equal("brand.senders.test", evaluation.Match.Domain);
    }

    [Fact]
    public async Task Match_Fail_IsTheAllTerm()
    {
        var evaluation = await EvaluateAsync("brand.senders.test", "192.0.2.204");

        Assert.Equal(SpfResult.Fail, evaluation.Result);
        Assert.Equal("-all", evaluation.Match!.Mechanism);
    }

    [Fact]
    public async Task Match_ThroughRedirect_StartsWithTheRedirectTerm()
    {
        var evaluation = await EvaluateAsync("alias.senders.test", "192.0.2.201");

        Assert.Equal(SpfResult.Pass, evaluation.Result);
        Assert.Equal(
            ["redirect=brand.senders.test", "include:_spf.mailer.senders.test", "include:_netblocks.mailer.senders.test"],
            evaluation.Match!.Path);
        Assert.Equal("ip4:192.0.2.201", evaluation.Match.Mechanism);
    }

    [Fact]
    public async Task Match_NoRecord_Null()
    {
        var evaluation = await EvaluateAsync("senders.test", "192.0.2.201");

        Assert.Equal(SpfResult.None, evaluation.Result);
        Assert.Null(evaluation.Match);
    }
}
