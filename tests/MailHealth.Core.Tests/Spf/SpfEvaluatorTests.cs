using System.Net;
using MailHealth.Dns;
using MailHealth.Spf;
using MailHealth.Testing;
using MailHealth.Testing.Dns;

namespace MailHealth.Core.Tests.Spf;

/// <summary>check_host() against the spf.test zone Knot serves, and against scripted hostile DNS.</summary>
public sealed class SpfEvaluatorTests
{
    private static Task<SpfEvaluation> EvaluateAsync(string sender, int c = 20, int d = 1, DnsResolver? dns = null) =>
        new SpfEvaluator(dns ?? Peers.Resolver(), TimeProvider.System)
            .CheckHostAsync(new SpfRequest(Peers.Address(c, d), sender, "mail.example.test"));

    // A generous timeout: the scripted server answers at once, but a loaded machine may be slow to
    // schedule it. Only tests about a server that drops queries pass a short one.
    private static DnsResolver Scripted(ScriptedDnsServer server, TimeSpan? timeout = null) =>
        server.Resolver(timeout ?? TimeSpan.FromSeconds(3));

    [Fact]
    public async Task CheckHost_MxMechanism_PassesTheMxHostAndTracesEveryQuery()
    {
        var evaluation = await EvaluateAsync("a@good.spf.test", 20, 2);

        Assert.Equal(SpfResult.Pass, evaluation.Result);
        Assert.Equal(2, evaluation.Lookups);
        Assert.Contains(evaluation.Trace, t => t.Kind == SpfTraceKind.Query && t.Text.StartsWith("MX good.spf.test", StringComparison.Ordinal));
        Assert.Contains(evaluation.Trace, t => t.Kind == SpfTraceKind.Term && t.Text == "mx: match -> pass");
        Assert.Equal("v=spf1 ip4:" + Peers.Net + ".20.1 a:mail.good.spf.test mx -all", evaluation.Record);
    }

    [Fact]
    public async Task CheckHost_IncludeTree_CountsLookupsPerBranch()
    {
        var evaluation = await EvaluateAsync("a@atlimit.spf.test", 24, 4);

        Assert.Equal(SpfResult.Pass, evaluation.Result);
        Assert.Equal(9, evaluation.Lookups);
        Assert.Equal(9, evaluation.Tree.TotalLookups);
        Assert.Equal([3, 3], evaluation.Tree.Children.Select(c => c.Lookups));
        Assert.Equal(["softfail", "softfail"], evaluation.Tree.Children.Select(c => c.Result));
    }

    [Fact]
    public async Task CheckHost_EleventhLookup_IsPermError()
    {
        var evaluation = await EvaluateAsync("a@toomany.spf.test");

        Assert.Equal(SpfResult.PermError, evaluation.Result);
        Assert.Equal(SpfProblem.TooManyLookups, evaluation.Problem);
        Assert.Equal(11, evaluation.Lookups);
    }

    [Fact]
    public async Task CheckHost_ThirdVoidLookup_IsPermError()
    {
        Assert.Equal(SpfProblem.TooManyVoidLookups, (await EvaluateAsync("a@void.spf.test")).Problem);
        var two = await EvaluateAsync("a@void2.spf.test");
        Assert.Equal(SpfResult.Pass, two.Result);
        Assert.Equal(2, two.VoidLookups);
    }

    [Theory]
    [InlineData("a@loop.spf.test")]
    [InlineData("a@redirloop.spf.test")]
    public async Task CheckHost_Loop_IsPermErrorIncludeLoop(string sender)
    {
        var evaluation = await EvaluateAsync(sender, 29, 1);

        Assert.Equal(SpfResult.PermError, evaluation.Result);
        Assert.Equal(SpfProblem.IncludeLoop, evaluation.Problem);
    }

    [Fact]
    public async Task CheckHost_ExistsMacro_ExpandsTheIp()
    {
        var listed = await EvaluateAsync("a@macro.spf.test", 20, 1);
        var unlisted = await EvaluateAsync("a@macro.spf.test", 20, 2);

        Assert.Equal(SpfResult.Pass, listed.Result);
        Assert.Contains(listed.Trace, t => t.Text.StartsWith($"A {Peers.Net}.20.1._spf.macro.spf.test", StringComparison.Ordinal));
        Assert.Equal(SpfResult.Fail, unlisted.Result);
    }

    [Theory]
    [InlineData("manystrings.spf.test", 20, 30)]
    [InlineData("big.spf.test", 21, 39)]
    [InlineData("huge.spf.test", 23, 20)]
    public async Task CheckHost_LongRecords_AreReadWhole(string domain, int c, int d)
    {
        // The last address of each record: seen only if every string (and the TCP retry for the 4 KB one) arrived.
        var evaluation = await EvaluateAsync("a@" + domain, c, d);

        Assert.Equal(SpfResult.Pass, evaluation.Result);
    }

    [Fact]
    public async Task CheckHost_IncludeOfCnameLoop_IsPermErrorNotAHang()
    {
        var evaluation = await EvaluateAsync("a@cnameinclude.spf.test", 29, 1);

        Assert.Equal(SpfResult.PermError, evaluation.Result);
        Assert.Equal(SpfProblem.IncludedDomainHasNoRecord, evaluation.Problem);
    }

    [Fact]
    public async Task CheckHost_NoRecord_IsNone()
    {
        Assert.Equal(SpfResult.None, (await EvaluateAsync("a@missing.spf.test")).Result);
        Assert.Equal(SpfResult.None, (await EvaluateAsync("a@does-not-exist.spf.test")).Result);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CheckHost_RecordLookupFails_IsTempError(bool timeout)
    {
        var zone = timeout ? new ScriptedZone().Timeout("broken.example") : new ScriptedZone().Fault("broken.example", DnsFault.ServerFailure);
        await using var server = ScriptedDnsServer.Start(zone);

        var evaluation = await EvaluateAsync("a@broken.example", dns: Scripted(server, timeout ? TimeSpan.FromMilliseconds(300) : null));

        Assert.Equal(SpfResult.TempError, evaluation.Result);
        Assert.Equal(SpfProblem.DnsError, evaluation.Problem);
    }

    [Fact]
    public async Task CheckHost_MechanismLookupServFails_IsTempError()
    {
        var zone = new ScriptedZone()
            .Add("sender.example", ScriptedRecord.Txt("v=spf1 a:broken.example -all"))
            .Fault("broken.example", DnsFault.ServerFailure);
        await using var server = ScriptedDnsServer.Start(zone);

        var evaluation = await EvaluateAsync("a@sender.example", dns: Scripted(server));

        Assert.Equal(SpfResult.TempError, evaluation.Result);
    }

    [Fact]
    public async Task CheckHost_TxtWithoutStrings_IsIgnoredNotACrash()
    {
        var zone = new ScriptedZone()
            .Add("empty.example", ScriptedRecord.Txt())
            .Add("empty.example", ScriptedRecord.Txt("v=spf1 ", "ip4:" + Peers.Address(20, 1) + " -all"));
        await using var server = ScriptedDnsServer.Start(zone);

        var evaluation = await EvaluateAsync("a@empty.example", dns: Scripted(server));

        Assert.Equal(SpfResult.Pass, evaluation.Result);
    }

    [Fact]
    public async Task CheckHost_NullSender_UsesPostmasterAtHelo()
    {
        var evaluation = await new SpfEvaluator(Peers.Resolver(), TimeProvider.System)
            .CheckHostAsync(new SpfRequest(Peers.Address(20, 1), "", "good.spf.test"));

        Assert.Equal("postmaster@good.spf.test", evaluation.Sender);
        Assert.Equal(SpfResult.Pass, evaluation.Result);
    }

    [Fact]
    public async Task CheckHost_Ipv4MappedClient_IsTreatedAsIpv4()
    {
        var evaluation = await new SpfEvaluator(Peers.Resolver(), TimeProvider.System)
            .CheckHostAsync(new SpfRequest(Peers.Address(20, 1).MapToIPv6(), "a@good.spf.test", "x.example"));

        Assert.Equal(SpfResult.Pass, evaluation.Result);
    }
}
