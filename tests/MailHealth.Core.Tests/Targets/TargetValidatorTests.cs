using System.Net;
using MailHealth.Targets;

namespace MailHealth.Core.Tests.Targets;

/// <summary>One judge of target definitions for the CLI, the targets file, the configuration and the API.</summary>
public sealed class TargetValidatorTests
{
    [Fact]
    public void Validate_Minimal_FillsDefaults()
    {
        var validation = TargetValidator.Validate(new TargetDefinition { Domain = "Bücher.Example" });

        Assert.True(validation.IsValid);
        Assert.Equal("xn--bcher-kva.example", validation.Target.Domain);
        Assert.Equal("bücher.example", validation.Target.DisplayDomain);
        Assert.Equal("xn--bcher-kva-example", validation.Target.Id);
        Assert.Equal(PortSpec.Defaults, validation.Target.Ports);
        Assert.True(validation.Target.Enabled);
        Assert.Null(validation.Target.DnsblZones);
    }

    [Fact]
    public void Validate_HostLikeAShortAddress_IsNeverWidenedIntoAnother()
    {
        // IPAddress.TryParse alone would read "1.2.3" as 1.2.0.3, a public address.
        var validation = TargetValidator.Validate(new TargetDefinition { Domain = "example.test", Hosts = ["1.2.3", "127.0.0.1", "::1"] });

        Assert.Equal(["1.2.3", "127.0.0.1", "::1"], validation.Target!.Hosts);
    }

    [Theory]
    [InlineData("domain", null, "is required")]
    [InlineData("ports[1]", "70000", "70000")]
    [InlineData("ports[1]", "25", "given twice")]
    [InlineData("sendingIps[0]", "ip:1.2.3", "'1.2.3' is not an IP address")]
    [InlineData("sendingIps[0]", "ip:10", "'10' is not an IP address")]
    [InlineData("dkimSelectors[0]", "selector:bad selector", "not a valid selector")]
    [InlineData("id", "id:Has.Dots", "lower-case letters")]
    [InlineData("id", "id:a/b", "lower-case letters")]
    [InlineData("id", "id:x' or '1'='1", "lower-case letters")]
    [InlineData("tags[0]", "tag:no spaces", "not a tag")]
    public void Validate_BadField_NamesThePathAndTheValue(string path, string? input, string message)
    {
        var definition = new TargetDefinition { Domain = input is null ? null : "example.test" };
        switch (input)
        {
            case null:
                break;
            case var s when s.StartsWith("ip:", StringComparison.Ordinal):
                definition.SendingIps = [s[3..]];
                break;
            case var s when s.StartsWith("selector:", StringComparison.Ordinal):
                definition.DkimSelectors = [s[9..]];
                break;
            case var s when s.StartsWith("id:", StringComparison.Ordinal):
                definition.Id = s[3..];
                break;
            case var s when s.StartsWith("tag:", StringComparison.Ordinal):
                definition.Tags = [s[4..]];
                break;
            default:
                definition.Ports = ["25", input];
                break;
        }

        var validation = TargetValidator.Validate(definition);

        Assert.False(validation.IsValid);
        var error = Assert.Single(validation.Errors);
        Assert.Equal(path, error.Path);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SeveralProblems_ReportsEach()
    {
        var validation = TargetValidator.Validate(new TargetDefinition { Domain = "bad domain", Ports = ["99"], SendingIps = ["x"] });

        Assert.Equal(["domain", "ports[0]", "sendingIps[0]"], validation.Errors.Select(e => e.Path));
    }

    [Fact]
    public void Validate_TooManyItems_IsRefusedWithoutListingEach()
    {
        var validation = TargetValidator.Validate(new TargetDefinition { Domain = "example.test", Hosts = [.. Enumerable.Range(0, 65).Select(i => $"h{i}.example.test")] });

        var error = Assert.Single(validation.Errors);
        Assert.Equal("hosts", error.Path);
    }

    [Fact]
    public void From_Target_RoundTrips()
    {
        var target = TargetValidator.Validate(new TargetDefinition
        {
            Id = "shop",
            Domain = "example.test",
            Hosts = ["mx.example.test"],
            Ports = ["25", "2525:smtp"],
            DkimSelectors = ["s1"],
            SendingIps = ["192.0.2.1"],
            Dnsbl = ["bl.example.test"],
            Tags = ["Prod"],
            Checks = ["spf", "SMTP"],
            Enabled = false,
        }).Target!;

        var again = TargetValidator.Validate(TargetDefinition.From(target)).Target!;

        Assert.Equal(target.Ports, again.Ports);
        Assert.Equal([IPAddress.Parse("192.0.2.1")], again.SendingIps);
        Assert.Equal(["prod"], again.Tags);
        Assert.False(again.Enabled);
        Assert.Equal(target.DnsblZones, again.DnsblZones);
        Assert.Equal(["smtp", "spf"], again.Checks);
    }

    [Fact]
    public void Validate_NoChecks_RunsTheFullSuite()
    {
        var target = TargetValidator.Validate(new TargetDefinition { Domain = "example.test" }).Target!;

        Assert.Null(target.Checks);
        Assert.All(CheckKinds.All, kind => Assert.True(CheckKinds.IsReported(target, kind)));
    }

    [Fact]
    public void Validate_Checks_AreKeptInReportOrderEachOnce()
    {
        var target = TargetValidator.Validate(new TargetDefinition { Domain = "example.test", Checks = ["dnsbl", " Smtp", "mta-sts", "smtp"] }).Target!;

        Assert.Equal(["smtp", "mta-sts", "dnsbl"], target.Checks);
    }

    [Theory]
    [InlineData("smpt", "checks[1]", "'smpt' is not a check; the checks are mx, smtp, spf")]
    [InlineData("", "checks[1]", "is not a check")]
    public void Validate_UnknownCheck_NamesItAndTheKinds(string kind, string path, string message)
    {
        var validation = TargetValidator.Validate(new TargetDefinition { Domain = "example.test", Checks = ["spf", kind] });

        var error = Assert.Single(validation.Errors);
        Assert.Equal(path, error.Path);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_EmptyChecks_IsRefused()
    {
        var validation = TargetValidator.Validate(new TargetDefinition { Domain = "example.test", Checks = [] });

        var error = Assert.Single(validation.Errors);
        Assert.Equal("checks", error.Path);
        Assert.Contains("leave it out", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public void IsReported_SmtpAlone_BringsTheMxResultOnlyWhenTheHostsComeFromIt(bool explicitHosts, bool mxReported)
    {
        var target = TargetValidator.Validate(new TargetDefinition
        {
            Domain = "example.test",
            Hosts = explicitHosts ? ["mx.example.test"] : null,
            Checks = ["smtp"],
        }).Target!;

        Assert.Equal(mxReported, CheckKinds.IsReported(target, CheckKinds.Mx));
        Assert.True(CheckKinds.IsReported(target, CheckKinds.Smtp));
        Assert.False(CheckKinds.IsReported(target, CheckKinds.Spf));
    }
}
