using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using MailHealth.ReceiverReports;

namespace MailHealth.Cli.Rendering;

/// <summary>
/// <c>reports parse --json</c>: one JSON line per report (docs/reports.md lists the fields). The
/// records are written as they stream from the input and handed to the output in chunks, so a
/// report of 900,000 rows is never held; for the same reason <c>status</c>, <c>reason</c> and
/// <c>warnings</c> close the line: they are final only once the records have been read. Every field
/// of the report's kind is present, null where the report gives nothing; a line without a readable
/// report has its identity fields null.
/// </summary>
internal sealed class ReceivedReportJsonWriter(TextWriter output)
{
    /// <summary>Buffered JSON is handed to the output past this size.</summary>
    private const int ChunkBytes = 1 << 16;

    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly ArrayBufferWriter<byte> _buffer = new(ChunkBytes * 2);

    public async Task WriteAsync(string file, ReceivedReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        _buffer.ResetWrittenCount();
        await using (var json = new Utf8JsonWriter(_buffer, Options))
        {
            json.WriteStartObject();
            json.WriteString("file", file);
            json.WriteString("part", report.Part);
            json.WriteString("kind", report.Kind?.Name());
            if (report.Aggregate is { } aggregate)
            {
                await WriteAggregateAsync(json, aggregate, cancellationToken).ConfigureAwait(false);
            }
            else if (report.Tls is { } tls)
            {
                WriteTls(json, tls);
            }
            else
            {
                // No readable report: its identity is unknown, and said so.
                foreach (var name in (string[])["orgName", "reportId", "policyDomain", "begin", "end"])
                {
                    json.WriteNull(name);
                }
            }

            json.WriteString("status", report.Status == ReceivedReportStatus.Parsed ? "parsed" : "invalid");
            json.WriteString("reason", report.Reason);
            WriteStrings(json, "warnings", report.Warnings.ToList());
            json.WriteEndObject();
        }

        await FlushAsync(cancellationToken).ConfigureAwait(false);
        await output.WriteLineAsync().ConfigureAwait(false);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task WriteAggregateAsync(Utf8JsonWriter json, AggregateReport report, CancellationToken cancellationToken)
    {
        var metadata = report.Metadata;
        var policy = report.Policy;
        json.WriteString("orgName", metadata.OrgName);
        json.WriteString("email", metadata.Email);
        json.WriteString("reportId", metadata.ReportId);
        json.WriteString("policyDomain", policy.Domain);
        WriteTime(json, "begin", metadata.Begin);
        WriteTime(json, "end", metadata.End);
        json.WriteString("namespace", metadata.Namespace);
        json.WriteString("version", metadata.Version);
        json.WriteString("generator", metadata.Generator);
        WriteStrings(json, "errors", metadata.Errors);
        json.WriteStartObject("policyPublished");
        json.WriteString("domain", policy.Domain);
        json.WriteString("discoveryMethod", policy.DiscoveryMethod);
        json.WriteString("p", policy.P);
        json.WriteString("sp", policy.Sp);
        json.WriteString("np", policy.Np);
        if (policy.Pct is { } pct)
        {
            json.WriteNumber("pct", pct);
        }
        else
        {
            json.WriteNull("pct");
        }

        json.WriteString("fo", policy.Fo);
        json.WriteString("adkim", policy.Adkim);
        json.WriteString("aspf", policy.Aspf);
        json.WriteString("testing", policy.Testing);
        json.WriteEndObject();

        json.WriteStartArray("records");
        foreach (var record in report.Records)
        {
            WriteRecord(json, record);
            if (json.BytesPending + _buffer.WrittenCount > ChunkBytes)
            {
                await json.FlushAsync(cancellationToken).ConfigureAwait(false);
                await FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        json.WriteEndArray();
        json.WriteNumber("droppedRecords", report.DroppedRecords);
    }

    private static void WriteRecord(Utf8JsonWriter json, AggregateRecord record)
    {
        json.WriteStartObject();
        json.WriteString("sourceIp", record.SourceIp.ToString());
        json.WriteNumber("count", record.Count);
        json.WriteString("disposition", record.Disposition);
        json.WriteString("dkim", record.Dkim);
        json.WriteString("spf", record.Spf);
        WriteObjects(json, "reasons", record.Reasons, static (json, reason) =>
        {
            json.WriteString("type", reason.Type);
            json.WriteString("comment", reason.Comment);
        });
        json.WriteString("headerFrom", record.HeaderFrom);
        json.WriteString("envelopeFrom", record.EnvelopeFrom);
        json.WriteString("envelopeTo", record.EnvelopeTo);
        json.WriteStartObject("authResults");
        WriteObjects(json, "dkim", record.DkimResults, static (json, dkim) =>
        {
            json.WriteString("domain", dkim.Domain);
            json.WriteString("selector", dkim.Selector);
            json.WriteString("result", dkim.Result);
            json.WriteString("humanResult", dkim.HumanResult);
        });
        WriteObjects(json, "spf", record.SpfResults, static (json, spf) =>
        {
            json.WriteString("domain", spf.Domain);
            json.WriteString("scope", spf.Scope);
            json.WriteString("result", spf.Result);
        });
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteTls(Utf8JsonWriter json, TlsReport report)
    {
        json.WriteString("orgName", report.OrgName);
        json.WriteString("contactInfo", report.ContactInfo);
        json.WriteString("reportId", report.ReportId);
        json.WriteString("policyDomain", report.PolicyDomain);
        WriteTime(json, "begin", report.Begin);
        WriteTime(json, "end", report.End);
        WriteObjects(json, "policies", report.Policies, static (json, policy) =>
        {
            json.WriteString("policyType", policy.PolicyType);
            json.WriteString("policyDomain", policy.PolicyDomain);
            WriteStrings(json, "policyStrings", policy.PolicyStrings);
            WriteStrings(json, "mxHosts", policy.MxHosts);
            json.WriteNumber("successfulSessions", policy.SuccessfulSessions);
            json.WriteNumber("failedSessions", policy.FailedSessions);
            WriteObjects(json, "failures", policy.Failures, static (json, failure) =>
            {
                json.WriteString("resultType", failure.ResultType);
                json.WriteString("sendingMtaIp", failure.SendingMtaIp?.ToString());
                json.WriteString("receivingMxHostname", failure.ReceivingMxHostname);
                json.WriteString("receivingMxHelo", failure.ReceivingMxHelo);
                json.WriteString("receivingIp", failure.ReceivingIp?.ToString());
                json.WriteNumber("failedSessions", failure.FailedSessions);
                json.WriteString("additionalInformation", failure.AdditionalInformation);
                json.WriteString("failureReasonCode", failure.FailureReasonCode);
            });
        });
    }

    /// <summary>An array of objects, each written by <paramref name="fields"/>.</summary>
    private static void WriteObjects<T>(Utf8JsonWriter json, string name, IEnumerable<T> items, Action<Utf8JsonWriter, T> fields)
    {
        json.WriteStartArray(name);
        foreach (var item in items)
        {
            json.WriteStartObject();
            fields(json, item);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteStrings(Utf8JsonWriter json, string name, IReadOnlyList<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }

    /// <summary>A time in UTC to the second, as RFC 3339 writes it (<c>2026-05-01T00:00:00Z</c>).</summary>
    private static void WriteTime(Utf8JsonWriter json, string name, DateTimeOffset time) =>
        json.WriteString(name, time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));

    /// <summary>Hands what is buffered to the output and empties the buffer (the writer goes on writing into it).</summary>
    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_buffer.WrittenCount > 0)
        {
            await output.WriteAsync(Encoding.UTF8.GetString(_buffer.WrittenSpan).AsMemory(), cancellationToken).ConfigureAwait(false);
            _buffer.ResetWrittenCount();
        }
    }
}
