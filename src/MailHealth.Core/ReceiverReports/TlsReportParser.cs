using System.Globalization;
using System.Net;
using System.Text.Json;
using MailHealth.Network;

namespace MailHealth.ReceiverReports;

/// <summary>
/// Reads an SMTP TLS report (RFC 8460 section 4.4), tolerating what senders do: mx-host as a
/// string or an array, date-times without a zone (read as UTC, with a warning), contact-info null,
/// failure details without addresses, counts written as strings; unknown fields are ignored. A
/// policy or failure entry that cannot be read is left out with a warning; missing metadata
/// (organization-name, report-id, date-range, a policy's domain) makes the report invalid.
/// </summary>
internal static class TlsReportParser
{
    private static readonly JsonDocumentOptions Options = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, MaxDepth = 32 };

    private static readonly string[] ReportFields = ["organization-name", "report-id", "policies", "date-range"];

    /// <summary>Reads the whole document (it is read whole: at most <paramref name="maxBytes"/>) into a report.</summary>
    public static ReceivedReport Read(Stream document, string? part, long maxBytes)
    {
        var cap = new ByteBudget(maxBytes, ReceiverReportSettings.Refusal(nameof(ReceiverReportSettings.MaxTlsReportBytes), maxBytes, "bytes of TLS report JSON"));
        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(new CappedStream(document, cap), Options);
        }
        catch (Exception e) when (ReadFailure.Reason(e) is { } reason)
        {
            return ReceivedReport.Invalid(part, null, reason);
        }

        using (json)
        {
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !ReportFields.Any(f => Field(root, f) is not null))
            {
                return ReceivedReport.Invalid(part, null, "JSON that is not a TLS report (no organization-name, report-id, date-range or policies: RFC 8460 section 4.4)");
            }

            var warnings = new ReportWarnings();
            return Build(root, warnings, out var problem) is { } report
                ? ReceivedReport.Of(part, report, warnings)
                : ReceivedReport.Invalid(part, ReceivedReportKind.TlsRpt, problem!, warnings);
        }
    }

    private static TlsReport? Build(JsonElement root, ReportWarnings warnings, out string? problem)
    {
        problem = null;
        var org = Text(Field(root, "organization-name"));
        var id = Text(Field(root, "report-id"));
        var range = Field(root, "date-range");
        var start = range is { ValueKind: JsonValueKind.Object } r ? Text(Field(r, "start-datetime")) : null;
        var end = range is { ValueKind: JsonValueKind.Object } s ? Text(Field(s, "end-datetime")) : null;
        if (org is null || id is null || start is null || end is null)
        {
            problem = (org, id, start) switch
            {
                (null, _, _) => "organization-name is missing",
                (_, null, _) => "report-id is missing",
                (_, _, null) => "date-range/start-datetime is missing",
                _ => "date-range/end-datetime is missing",
            };
            return null;
        }

        if (!TryReadTime(start, "start-datetime", warnings, out var begin, out problem) || !TryReadTime(end, "end-datetime", warnings, out var finish, out problem))
        {
            return null;
        }

        if (finish < begin)
        {
            problem = $"date-range/end-datetime ({end}) is before its start-datetime ({start})";
            return null;
        }

        var policies = new List<TlsPolicyResult>();
        if (Field(root, "policies") is { ValueKind: JsonValueKind.Array } array)
        {
            var index = 0;
            foreach (var entry in array.EnumerateArray())
            {
                if (ReadPolicy(entry, ++index, warnings) is { } policy)
                {
                    policies.Add(policy);
                }
            }
        }

        if (policies.Count == 0)
        {
            problem = "policies holds no readable policy (the policy domain is unknown)";
            return null;
        }

        var domain = policies[0].PolicyDomain;
        if (policies.Any(p => p.PolicyDomain != domain))
        {
            warnings.Add($"policies name several policy domains; the report is filed under the first, {domain}");
        }

        return new TlsReport
        {
            OrgName = org,
            ReportId = id,
            ContactInfo = Field(root, "contact-info") is { ValueKind: JsonValueKind.String } contact ? Text(contact) : null,
            Begin = begin,
            End = finish,
            PolicyDomain = domain,
            Policies = policies,
        };
    }

    private static TlsPolicyResult? ReadPolicy(JsonElement entry, int index, ReportWarnings warnings)
    {
        var where = string.Create(CultureInfo.InvariantCulture, $"policy {index}");
        var policy = entry.ValueKind == JsonValueKind.Object ? Field(entry, "policy") : null;
        if (policy is not { ValueKind: JsonValueKind.Object } p)
        {
            warnings.Note("policy left out: no policy object", where);
            return null;
        }

        var type = AggregateValues.Lower(Text(Field(p, "policy-type")));
        var domain = Domain(Text(Field(p, "policy-domain")));
        if (type is null || domain is null)
        {
            warnings.Note(type is null ? "policy left out: policy-type missing" : "policy left out: policy-domain missing", where);
            return null;
        }

        var summary = Field(entry, "summary");
        var failures = new List<TlsFailureDetail>();
        if (Field(entry, "failure-details") is { ValueKind: JsonValueKind.Array } details)
        {
            var detailIndex = 0;
            foreach (var detail in details.EnumerateArray())
            {
                if (ReadFailureDetail(detail, $"{where}, failure {++detailIndex}", warnings) is { } failure)
                {
                    failures.Add(failure);
                }
            }
        }

        return new TlsPolicyResult
        {
            PolicyType = type,
            PolicyDomain = domain,
            PolicyStrings = Strings(Field(p, "policy-string")),
            MxHosts = [.. Strings(Field(p, "mx-host")).Select(Domain).OfType<string>()],
            SuccessfulSessions = Count(summary, "total-successful-session-count", where, warnings),
            FailedSessions = Count(summary, "total-failure-session-count", where, warnings),
            Failures = failures,
        };
    }

    private static TlsFailureDetail? ReadFailureDetail(JsonElement detail, string where, ReportWarnings warnings)
    {
        var type = detail.ValueKind == JsonValueKind.Object ? AggregateValues.Lower(Text(Field(detail, "result-type"))) : null;
        if (type is null)
        {
            warnings.Note("failure detail left out: result-type missing", where);
            return null;
        }

        return new TlsFailureDetail
        {
            ResultType = type,
            SendingMtaIp = Address(detail, "sending-mta-ip", where, warnings),
            ReceivingMxHostname = Domain(Text(Field(detail, "receiving-mx-hostname"))),
            ReceivingMxHelo = Text(Field(detail, "receiving-mx-helo")),
            ReceivingIp = Address(detail, "receiving-ip", where, warnings),
            FailedSessions = Count(detail, "failed-session-count", where, warnings),
            AdditionalInformation = Text(Field(detail, "additional-information")),
            FailureReasonCode = Text(Field(detail, "failure-reason-code")),
        };
    }

    private static bool TryReadTime(string text, string field, ReportWarnings warnings, out DateTimeOffset time, out string? problem)
    {
        problem = null;
        if (!ReportTime.TryReadDateTime(text, out time, out var hadZone))
        {
            problem = $"date-range/{field} '{text}' is not a date-time";
            return false;
        }

        if (!hadZone)
        {
            warnings.Add($"date-range/{field} '{text}' has no time zone: read as UTC");
        }

        return true;
    }

    /// <summary>A count: a JSON number, or a string of digits (noted); missing or unreadable counts as 0 (noted).</summary>
    private static long Count(JsonElement? parent, string name, string where, ReportWarnings warnings)
    {
        var value = parent is { ValueKind: JsonValueKind.Object } o ? Field(o, name) : null;
        switch (value)
        {
            case { ValueKind: JsonValueKind.Number } number when number.TryGetInt64(out var count) && count >= 0:
                return count;
            case { ValueKind: JsonValueKind.String } text when long.TryParse(text.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var count):
                warnings.Note($"{name} is a string, not a number", where);
                return count;
            case null or { ValueKind: JsonValueKind.Null }:
                warnings.Note($"{name} missing: counted as 0", where);
                return 0;
            default:
                warnings.Note($"{name} is not a count: counted as 0", where);
                return 0;
        }
    }

    private static IPAddress? Address(JsonElement detail, string name, string where, ReportWarnings warnings)
    {
        var text = Text(Field(detail, name));
        if (text is null)
        {
            return null;
        }

        if (IpAddressText.TryParse(text, out var address))
        {
            return address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        }

        warnings.Note($"{name} is not an IP address: left out", $"{where}: '{text}'");
        return null;
    }

    /// <summary>A field by name, exactly or else whatever its case; null when absent.</summary>
    private static JsonElement? Field(JsonElement parent, string name)
    {
        if (parent.TryGetProperty(name, out var value))
        {
            return value;
        }

        foreach (var property in parent.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value;
            }
        }

        return null;
    }

    /// <summary>A string value trimmed (a number as written); null for null, nothing or white space.</summary>
    private static string? Text(JsonElement? value) => value switch
    {
        { ValueKind: JsonValueKind.String } s => string.IsNullOrWhiteSpace(s.GetString()) ? null : s.GetString()!.Trim(),
        { ValueKind: JsonValueKind.Number } n => n.GetRawText(),
        _ => null,
    };

    /// <summary>A string, or each string of an array.</summary>
    private static IReadOnlyList<string> Strings(JsonElement? value) => value switch
    {
        { ValueKind: JsonValueKind.Array } a => [.. a.EnumerateArray().Select(e => Text(e)).OfType<string>()],
        { } one when Text(one) is { } text => [text],
        _ => [],
    };

    private static string? Domain(string? text) => AggregateValues.Lower(text)?.TrimEnd('.') is { Length: > 0 } domain ? domain : null;
}
