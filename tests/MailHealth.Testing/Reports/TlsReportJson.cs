using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MailHealth.Testing.Reports;

/// <summary>Writes a <see cref="TlsReportSpec"/> as the JSON of RFC 8460 section 4.4.</summary>
public static class TlsReportJson
{
    public static byte[] Bytes(TlsReportSpec spec) => Encoding.UTF8.GetBytes(Node(spec).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));

    public static JsonObject Node(TlsReportSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var root = new JsonObject();
        Add(root, "organization-name", spec.OrganizationName);
        if (spec.StartDatetime is not null || spec.EndDatetime is not null)
        {
            var range = new JsonObject();
            Add(range, "start-datetime", spec.StartDatetime);
            Add(range, "end-datetime", spec.EndDatetime);
            root["date-range"] = range;
        }

        if (spec.ContactInfoNull)
        {
            root["contact-info"] = null;
        }
        else
        {
            Add(root, "contact-info", spec.ContactInfo);
        }

        Add(root, "report-id", spec.ReportId);
        root["policies"] = new JsonArray([.. spec.Policies.Select(Policy)]);
        foreach (var (name, value) in spec.Extra)
        {
            root[name] = value?.DeepClone();
        }

        return root;
    }

    private static JsonObject Policy(TlsPolicySpec spec)
    {
        var policy = new JsonObject();
        Add(policy, "policy-type", spec.PolicyType);
        policy["policy-string"] = new JsonArray([.. spec.PolicyStrings.Select(s => (JsonNode?)s)]);
        Add(policy, "policy-domain", spec.PolicyDomain);
        Add(policy, "mx-host", spec.MxHost);
        var summary = new JsonObject();
        Add(summary, "total-successful-session-count", spec.Successful);
        Add(summary, "total-failure-session-count", spec.Failed);
        var entry = new JsonObject { ["policy"] = policy, ["summary"] = summary };
        if (spec.Failures.Count > 0)
        {
            entry["failure-details"] = new JsonArray([.. spec.Failures.Select(Failure)]);
        }

        return entry;
    }

    private static JsonObject Failure(TlsFailureSpec spec)
    {
        var failure = new JsonObject();
        Add(failure, "result-type", spec.ResultType);
        Add(failure, "sending-mta-ip", spec.SendingMtaIp);
        Add(failure, "receiving-mx-hostname", spec.ReceivingMxHostname);
        Add(failure, "receiving-ip", spec.ReceivingIp);
        Add(failure, "failed-session-count", spec.FailedSessions);
        Add(failure, "failure-reason-code", spec.FailureReasonCode);
        return failure;
    }

    private static void Add(JsonObject target, string name, JsonNode? value)
    {
        if (value is not null)
        {
            target[name] = value.DeepClone();
        }
    }
}
