using MailHealth.TlsRpt;

namespace MailHealth.Core.Tests.TlsRpt;

/// <summary>Parsing of the _smtp._tls record (RFC 8460 section 3).</summary>
public sealed class TlsRptRecordTests
{
    [Theory]
    [InlineData("v=TLSRPTv1;rua=mailto:reports@example.com")]
    [InlineData("v=TLSRPTv1; rua=https://reporting.example.com/v1/tlsrpt")]
    [InlineData("v=TLSRPTv1 ; rua=mailto:a@example.com , https://r.example.net/x ;")]
    [InlineData("v=TLSRPTv1; rua=mailto:a@example.com?subject=tls; ext_1=value")]
    [InlineData("v=TLSRPTv1; rua=mailto:a%2Cb@example.com")]
    public void TryParse_ValidRecords_Succeed(string text)
    {
        Assert.True(TlsRptRecord.TryParse(text, out var record, out var error), error);
        Assert.NotEmpty(record.Rua);
    }

    [Theory]
    [InlineData("v=TLSRPTv1;", "rua")]
    [InlineData("v=TLSRPTv1; rua=", "empty URI")]
    [InlineData("v=TLSRPTv1; rua=http://example.com/r", "scheme 'http'")]
    [InlineData("v=TLSRPTv1; rua=mailto:example.com", "e-mail address")]
    [InlineData("v=TLSRPTv1; rua=mailto:a@b!10m", "not a valid")]
    [InlineData("v=TLSRPTv1; rua=reports@example.com", "not a valid")]
    [InlineData("v=TLSRPTv1; rua=https:///nohost", "URI")]
    [InlineData("v=TLSRPTv1; rua=mailto:a@example.com;; x=1", "empty field")]
    [InlineData("v=TLSRPTv1; rua=mailto:a@example.com; bad field=1", "extension")]
    [InlineData("v=TLSRPTv1; rua", "name=value")]
    [InlineData("v=TLSRPTv2; rua=mailto:a@example.com", "v=TLSRPTv1")]
    [InlineData("v=tlsrptv1; rua=mailto:a@example.com", "v=TLSRPTv1")]
    public void TryParse_InvalidRecords_SayWhy(string text, string why)
    {
        Assert.False(TlsRptRecord.TryParse(text, out _, out var error));
        Assert.Contains(why, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("v=TLSRPTv1;rua=mailto:x@example.com", true)]
    [InlineData("v=TLSRPTv1", true)]
    [InlineData("v=TLSRPTv10;rua=mailto:x@example.com", false)]
    [InlineData("google-site-verification=1", false)]
    public void IsCandidate_FollowsTheVersionPrefixRule(string text, bool expected) =>
        Assert.Equal(expected, TlsRptRecord.IsCandidate(text));
}
