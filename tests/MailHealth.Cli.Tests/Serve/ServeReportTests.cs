using System.Net;
using System.Text.Json;
using MailHealth.Storage.ReceiverReports;
using MailHealth.Testing;
using MailHealth.Testing.Reports;

namespace MailHealth.Cli.Tests.Serve;

/// <summary>
/// <c>POST /api/reports</c> on <c>serve</c> over HTTP: an input stored and queued (202), processed by
/// serve's own queue worker, the same bytes again a duplicate (200, nothing queued), and a body past
/// <c>MailHealth:Reports:MaxMessageBytes</c> refused with 413 whether its length is announced or not,
/// nothing of it stored. The Functions app meets the same in tests/MailHealth.Functions.Tests.
/// </summary>
public sealed class ServeReportTests
{
    private const int Cap = 64 * 1024;

    private static Task<ServeHarness> StartAsync() =>
        ServeHarness.StartAsync("[]", settings: new Dictionary<string, string?> { ["MailHealth:Reports:MaxMessageBytes"] = Cap.ToString(System.Globalization.CultureInfo.InvariantCulture) });

    private static HttpRequestMessage Post(HttpContent content)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/reports") { Content = content };
        request.Headers.Add("x-functions-key", ServeHarness.AdminKey);
        return request;
    }

    [Fact]
    public async Task PostedReport_Accepted_ProcessedByServesWorker_ThenTheSameAgainIsADuplicate()
    {
        await using var serve = await StartAsync();
        var message = Reporters.GoogleMessage(Reporters.Google("posted.example", TestClock.Yesterday, AggregateRows.Mixed("posted.example", 14, 5)));
        var input = ReportBlobStore.InputId(message);

        using var posted = await serve.Http.SendAsync(Post(new ByteArrayContent(message)));
        using var accepted = JsonDocument.Parse(await posted.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        Assert.Equal(input, accepted.RootElement.GetProperty("input").GetString());
        Assert.Equal("api", accepted.RootElement.GetProperty("door").GetString());
        var statusUrl = accepted.RootElement.GetProperty("statusUrl").GetString()!;
        Assert.Equal("/api/reports/" + input, statusUrl);

        var processed = await ServeHarness.EventuallyAsync(
            async () =>
            {
                var body = await serve.Read.GetStringAsync(statusUrl);
                return body.Contains("\"state\":\"processed\"", StringComparison.Ordinal) ? body : null;
            },
            "the posted report processed by serve's queue worker");
        using var record = JsonDocument.Parse(processed);
        var report = Assert.Single(record.RootElement.GetProperty("reports").EnumerateArray());
        Assert.Equal(("stored", "google.com", "posted.example"), (report.GetProperty("status").GetString(), report.GetProperty("orgName").GetString(), report.GetProperty("policyDomain").GetString()));

        using var again = await serve.Http.SendAsync(Post(new ByteArrayContent(message)));
        using var repeated = JsonDocument.Parse(await again.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("duplicate", Assert.Single(repeated.RootElement.GetProperty("reports").EnumerateArray()).GetProperty("status").GetString());
        Assert.Equal(0, (await serve.Get<MailHealth.Storage.Queues.ReportQueue>().GetDepthAsync()).Messages);
    }

    [Fact]
    public async Task BodyPastTheCap_413_AnnouncedOrStreamed_NothingStored()
    {
        await using var serve = await StartAsync();
        var body = new byte[Cap + 1];

        using var announced = await serve.Http.SendAsync(Post(new ByteArrayContent(body)));
        // A stream of unknown length goes chunked: refused at the first byte past the cap.
        using var streamed = await serve.Http.SendAsync(Post(new StreamContent(new UnseekableStream(body))));
        using var atTheCap = await serve.Http.SendAsync(Post(new ByteArrayContent(new byte[Cap])));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, announced.StatusCode);
        Assert.Contains("MailHealth:Reports:MaxMessageBytes", await announced.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(streamed.StatusCode == HttpStatusCode.RequestEntityTooLarge, await streamed.Content.ReadAsStringAsync());
        // At the cap it is taken (and found to be no report when processed).
        Assert.Equal(HttpStatusCode.Accepted, atTheCap.StatusCode);
        var blobs = new List<string>();
        await foreach (var blob in serve.Get<MailHealth.Storage.Configuration.StorageAccount>().ReportContainer.GetBlobsAsync())
        {
            blobs.Add(blob.Name);
        }

        Assert.Equal([ReportBlobStore.BlobName(ReportBlobStore.InputId(new byte[Cap]))], blobs);
    }

    /// <summary>A stream that does not say its length, so the client sends it chunked.</summary>
    private sealed class UnseekableStream(byte[] content) : MemoryStream(content)
    {
        public override bool CanSeek => false;
    }
}
