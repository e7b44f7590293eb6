using MailHealth.Dmarc;

namespace MailHealth.Core.Tests.Dmarc;

/// <summary>Parsing and validating DMARC Policy Records (RFC 9989 sections 4.7 and 4.8).</summary>
public sealed class DmarcRecordTests
{
    [Fact]
    public void Parse_EveryTagValid_HasNoProblems()
    {
        var record = DmarcRecord.Parse(
            "v=DMARC1; p=reject; sp=quarantine; np=none; adkim=s; aspf=s; fo=1:d:s; t=y; psd=n; rua=mailto:a@example.test; ruf=mailto:f@example.test");

        Assert.True(record.IsPolicyRecord);
        Assert.Empty(record.Problems);
        Assert.True(record.HasValidPolicyTags);
        Assert.Equal(DmarcPolicy.Reject, record.Policy);
        Assert.Equal(DmarcPolicy.Quarantine, record.SubdomainPolicy);
        Assert.Equal(DmarcPolicy.None, record.NonExistentPolicy);
        Assert.True(record.StrictDkimAlignment);
        Assert.True(record.StrictSpfAlignment);
        Assert.Equal(["1", "d", "s"], record.FailureOptions);
        Assert.True(record.Testing);
        Assert.Equal('n', record.Psd);
        Assert.Equal("example.test", Assert.Single(record.AggregateUris).Host);
        Assert.Equal("mailto", Assert.Single(record.FailureUris).Scheme);
    }

    [Fact]
    public void Parse_OnlyVersion_GivesTheDefaults()
    {
        var record = DmarcRecord.Parse("v=DMARC1");

        Assert.True(record.IsPolicyRecord);
        Assert.Null(record.Policy);
        Assert.False(record.HasValidPolicyTags);
        Assert.False(record.StrictDkimAlignment);
        Assert.False(record.Testing);
        Assert.Equal('u', record.Psd);
        Assert.Equal(["0"], record.FailureOptions);
        Assert.Empty(record.AggregateUris);
    }

    [Fact]
    public void Parse_TagNamesAndKeywords_AreCaseInsensitive()
    {
        var record = DmarcRecord.Parse("v=DMARC1; P=Reject; SP=NONE; ADKIM=S; Psd=Y");

        Assert.Empty(record.Problems);
        Assert.Equal(DmarcPolicy.Reject, record.Policy);
        Assert.Equal(DmarcPolicy.None, record.SubdomainPolicy);
        Assert.True(record.StrictDkimAlignment);
        Assert.Equal('y', record.Psd);
    }

    [Theory]
    [InlineData("v=dmarc1; p=reject")]
    [InlineData("v=DMARC2; p=reject")]
    [InlineData("p=reject; v=DMARC1")]
    [InlineData("v=DMARC1p=reject")]
    public void Parse_VersionNotExactlyFirstDmarc1_IsNotAPolicyRecordButLooksLikeOne(string text)
    {
        var record = DmarcRecord.Parse(text);

        Assert.False(record.IsPolicyRecord);
        Assert.True(record.LooksLikeDmarc);
        Assert.NotEmpty(record.Problems);
    }

    [Theory]
    [InlineData("google-site-verification=abc")]
    [InlineData("v=spf1 -all")]
    public void Parse_UnrelatedText_DoesNotLookLikeDmarc(string text)
    {
        Assert.False(DmarcRecord.Parse(text).LooksLikeDmarc);
    }

    [Fact]
    public void Parse_WhitespaceAroundTags_IsIgnored()
    {
        var record = DmarcRecord.Parse("v = DMARC1 ;  p = none ;\trua = mailto:a@example.test , mailto:b@example.test ; ");

        Assert.True(record.IsPolicyRecord);
        Assert.Empty(record.Problems);
        Assert.Equal(2, record.AggregateUris.Count);
    }

    [Theory]
    [InlineData("p=rejected", "p=rejected")]
    [InlineData("p=reject; sp=never", "sp=never")]
    [InlineData("p=reject; np=maybe", "np=maybe")]
    [InlineData("p=reject; adkim=x", "adkim=x")]
    [InlineData("p=reject; aspf=strict", "aspf=strict")]
    [InlineData("p=reject; t=yes", "t=yes")]
    [InlineData("p=reject; psd=q", "psd=q")]
    [InlineData("p=reject; fo=0:1", "fo=0:1")]
    [InlineData("p=reject; fo=d:d", "fo=d:d")]
    [InlineData("p=reject; fo=2", "fo=2")]
    [InlineData("p=reject; rua=dmarc@example.test", "mailto:")]
    [InlineData("p=reject; rua=mailto:a@example.test,", "empty URI")]
    [InlineData("p=reject; rua=mailto:a@localhost", "no valid destination host")]
    [InlineData("p=reject; rua=mailto:a@-x-.example", "no valid destination host")]
    [InlineData("p=reject; p=none", "more than once")]
    public void Parse_InvalidValue_IsAProblemNamingTheTag(string tags, string problem)
    {
        var record = DmarcRecord.Parse($"v=DMARC1; {tags}");

        Assert.True(record.IsPolicyRecord);
        Assert.Contains(record.Problems, p => p.Contains(problem, StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_InvalidSubdomainPolicy_MakesThePolicyTagsInvalid()
    {
        var record = DmarcRecord.Parse("v=DMARC1; p=reject; sp=never");

        Assert.Equal(DmarcPolicy.Reject, record.Policy);
        Assert.False(record.HasValidPolicyTags);
    }

    [Theory]
    [InlineData("d")]
    [InlineData("s:1")]
    [InlineData("d:0:s")]
    public void Parse_ValidFailureOptions_HaveNoProblem(string fo)
    {
        Assert.Empty(DmarcRecord.Parse($"v=DMARC1; p=none; fo={fo}").Problems);
    }

    [Fact]
    public void Parse_ReportUriWithHistoricSizeLimit_IsValid()
    {
        var uri = Assert.Single(DmarcRecord.Parse("v=DMARC1; p=none; rua=mailto:a@Reports.Example.test!10m").AggregateUris);

        Assert.True(uri.IsValid);
        Assert.Equal("reports.example.test", uri.Host);
    }

    [Fact]
    public void Parse_HistoricTags_AreListed()
    {
        var record = DmarcRecord.Parse("v=DMARC1; p=reject; pct=50; ri=3600; future=1");

        Assert.Equal(["pct", "ri"], record.HistoricTags);
        Assert.Empty(record.Problems);
    }
}
