using MailHealth.MtaSts;

namespace MailHealth.Core.Tests.MtaSts;

/// <summary>Parsing of the _mta-sts TXT record (RFC 8461 section 3.1).</summary>
public sealed class MtaStsRecordTests
{
    [Theory]
    [InlineData("v=STSv1; id=20160831085700Z;", "20160831085700Z")]
    [InlineData("v=STSv1;id=abc", "abc")]
    [InlineData("v=STSv1 ; id=1 ; ext.name_1=some-value", "1")]
    [InlineData("v=STSv1; id=first; id=second", "first")]
    [InlineData("v=STSv1; id=12345678901234567890123456789012;", "12345678901234567890123456789012")]
    public void TryParse_ValidRecords_GiveTheId(string text, string id)
    {
        Assert.True(MtaStsRecord.TryParse(text, out var record, out var error), error);
        Assert.Equal(id, record.Id);
    }

    [Theory]
    [InlineData("v=STSv1;", "id")]
    [InlineData("v=STSv1; id=", "1 to 32")]
    [InlineData("v=STSv1; id=not-valid!", "1 to 32")]
    [InlineData("v=STSv1; id=123456789012345678901234567890123", "1 to 32")]
    [InlineData("v=STSv1; id=1;; x=y", "empty field")]
    [InlineData("v=STSv1; id=1; novalue", "name=value")]
    [InlineData("v=STSv1; id=1; x=has space", "extension")]
    [InlineData("v=STSv2; id=1", "v=STSv1")]
    [InlineData("v=stsv1; id=1", "v=STSv1")]
    public void TryParse_InvalidRecords_SayWhy(string text, string why)
    {
        Assert.False(MtaStsRecord.TryParse(text, out _, out var error));
        Assert.Contains(why, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("v=STSv1; id=1", true)]
    [InlineData("v=STSv1", true)]
    [InlineData("v=STSv1  ;id=1", true)]
    [InlineData("v=STSv10; id=1", false)]
    [InlineData("google-site-verification=x", false)]
    public void IsCandidate_FollowsTheVersionPrefixRule(string text, bool expected) =>
        Assert.Equal(expected, MtaStsRecord.IsCandidate(text));
}
