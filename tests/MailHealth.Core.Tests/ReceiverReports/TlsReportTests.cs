using System.Net;
using System.Text;
using MailHealth.ReceiverReports;
using MailHealth.Testing.Reports;
using static MailHealth.Core.Tests.ReceiverReports.ReportReading;

namespace MailHealth.Core.Tests.ReceiverReports;

/// <summary>SMTP TLS reports (RFC 8460) in the shapes senders use, with their deviations.</summary>
public sealed class TlsReportTests
{
    private const string Domain = "example.com";

    [Fact]
    public void Google_MultipartReportWithTlsrptGzip_GivesPoliciesAndFailures()
    {
        var message = ReportMail.TlsReport("smtp-tls-reporting@google.com", Domain, TlsReportJson.Bytes(Reporters.GoogleTls(Domain, Day)), Day);

        var read = Parsed(ReportMail.Bytes(message));

        Assert.Equal(ReceivedReportKind.TlsRpt, read.Report.Kind);
        Assert.StartsWith("attachment 'smtp-tls-reporting@google.com!example.com!", read.Report.Part, StringComparison.Ordinal);
        var tls = read.Report.Tls!;
        Assert.Equal(("Google Inc.", "smtp-tls-reporting@google.com", Domain, Day, Day.AddDays(1).AddSeconds(-1)), (tls.OrgName, tls.ContactInfo, tls.PolicyDomain, tls.Begin, tls.End));
        var policy = Assert.Single(tls.Policies);
        Assert.Equal(["mx1.example.com", "mx2.example.com"], policy.MxHosts);
        Assert.Equal((1200L, 12L), (policy.SuccessfulSessions, policy.FailedSessions));
        Assert.Equal(5, policy.PolicyStrings.Count);
        var failure = Assert.Single(policy.Failures);
        Assert.Equal(("certificate-expired", IPAddress.Parse("192.0.2.25"), "mx2.example.com", IPAddress.Parse("203.0.113.25"), 12L),
            (failure.ResultType, failure.SendingMtaIp, failure.ReceivingMxHostname, failure.ReceivingIp, failure.FailedSessions));
        Assert.Empty(read.Report.Warnings.ToList());
    }

    [Fact]
    public void Microsoft_MxHostAsString_AndSeveralPolicies()
    {
        var read = Parsed(Containers.Gzip(TlsReportJson.Bytes(Reporters.MicrosoftTls(Domain, Day))));

        var tls = read.Report.Tls!;
        Assert.Equal(["sts", "tlsa"], tls.Policies.Select(p => p.PolicyType));
        Assert.Equal(["*.example.com"], tls.Policies[0].MxHosts);
        Assert.Empty(tls.Policies[1].MxHosts);
        var failure = Assert.Single(tls.Policies[0].Failures);
        Assert.Equal(("X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY", IPAddress.Parse("2001:db8::25"), null), (failure.FailureReasonCode, failure.SendingMtaIp, failure.ReceivingIp));
    }

    [Fact]
    public void Sloppy_NoZoneNullContactNoAddresses_AreReadWithWarnings()
    {
        var read = Parsed(TlsReportJson.Bytes(Reporters.SloppyTls(Domain, Day)));

        var tls = read.Report.Tls!;
        Assert.Equal((Day, "77", null), (tls.Begin, tls.ReportId, tls.ContactInfo));
        var policy = Assert.Single(tls.Policies);
        Assert.Equal(("no-policy-found", 15L, 2L), (policy.PolicyType, policy.SuccessfulSessions, policy.FailedSessions));
        var failure = Assert.Single(policy.Failures);
        Assert.Equal(("starttls-not-supported", null, null, "mx.example.com"), (failure.ResultType, failure.SendingMtaIp, failure.ReceivingIp, failure.ReceivingMxHostname));
        var warnings = read.Report.Warnings.ToList();
        Assert.Contains($"date-range/start-datetime '{Day:yyyy-MM-dd}T00:00:00' has no time zone: read as UTC", warnings);
        Assert.Contains("total-successful-session-count is a string, not a number (policy 1)", warnings);
    }

    [Theory]
    [InlineData("organization-name", "organization-name is missing")]
    [InlineData("report-id", "report-id is missing")]
    [InlineData("date-range", "date-range/start-datetime is missing")]
    [InlineData("policies", "policies holds no readable policy (the policy domain is unknown)")]
    public void MissingMetadata_MakesTheReportInvalid(string field, string reason)
    {
        var json = TlsReportJson.Node(Reporters.GoogleTls(Domain, Day));
        json.Remove(field);

        var read = Single(Encoding.UTF8.GetBytes(json.ToJsonString()));

        Assert.Equal((ReceivedReportStatus.Invalid, ReceivedReportKind.TlsRpt, reason), (read.Report.Status, read.Report.Kind, read.Report.Reason));
    }

    [Fact]
    public void UnreadablePolicyOrFailure_IsLeftOutAlone()
    {
        var spec = Reporters.GoogleTls(Domain, Day);
        spec = spec with
        {
            Policies =
            [
                spec.Policies[0] with { Failures = [new TlsFailureSpec { ResultType = null }, new TlsFailureSpec { SendingMtaIp = "not an address", FailedSessions = 4 }] },
                new TlsPolicySpec { PolicyDomain = null },
            ],
        };

        var read = Parsed(TlsReportJson.Bytes(spec));

        var failure = Assert.Single(Assert.Single(read.Report.Tls!.Policies).Failures);
        Assert.Equal((4L, null), (failure.FailedSessions, failure.SendingMtaIp));
        var warnings = read.Report.Warnings.ToList();
        Assert.Contains("failure detail left out: result-type missing (policy 1, failure 1)", warnings);
        Assert.Contains("sending-mta-ip is not an IP address: left out (policy 1, failure 2: 'not an address')", warnings);
        Assert.Contains("policy left out: policy-domain missing (policy 2)", warnings);
    }

    [Fact]
    public void JsonThatIsNoTlsReport_IsInvalidWithoutAKind()
    {
        var read = Single("{\"hello\": \"world\"}"u8.ToArray());

        Assert.Equal((ReceivedReportStatus.Invalid, null), (read.Report.Status, read.Report.Kind));
        Assert.StartsWith("JSON that is not a TLS report", read.Report.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void TruncatedJson_IsInvalid()
    {
        var json = TlsReportJson.Bytes(Reporters.GoogleTls(Domain, Day));

        Assert.StartsWith("malformed JSON: ", Invalid(HostileInputs.Truncated(json, 0.6)), StringComparison.Ordinal);
    }

    [Fact]
    public void LargerThanTheTlsCap_IsRefused()
    {
        var spec = Reporters.GoogleTls(Domain, Day);
        var padded = TlsReportJson.Node(spec);
        padded["x-padding"] = new string(' ', 70_000);

        var reason = Invalid(Encoding.UTF8.GetBytes(padded.ToJsonString()), new ReceiverReportSettings { MaxTlsReportBytes = 64 * 1024 });

        Assert.Equal("refused: more than MailHealth:Reports:MaxTlsReportBytes (65,536 bytes of TLS report JSON)", reason);
    }
}
