using System.Globalization;
using System.Text;
using System.Text.Json;
using MailHealth.Functions.Triggers;
using MailHealth.Storage.Queues;
using MailHealth.Storage.ReceiverReports;
using MailHealth.Testing;
using MailHealth.Testing.Reports;
using Microsoft.AspNetCore.Http;
using static MailHealth.Functions.Tests.FunctionRequests;

namespace MailHealth.Functions.Tests;

/// <summary>
/// <c>POST /api/reports</c> on the Functions app: the HTTP function stores and queues the input
/// (202), the <see cref="IngestReport"/> queue trigger processes the message as the host hands it
/// over, the same bytes again are a duplicate (200), a body past
/// <c>MailHealth:Reports:MaxMessageBytes</c> is refused with 413 and nothing stored. serve meets
/// the same in tests/MailHealth.Cli.Tests.
/// </summary>
public sealed class ReportFunctionTests
{
    private const int Cap = 64 * 1024;

    private static Task<FunctionsHarness> StartAsync() =>
        FunctionsHarness.StartAsync(settings: new Dictionary<string, string?> { ["MailHealth:Reports:MaxMessageBytes"] = Cap.ToString(CultureInfo.InvariantCulture) });

    private static async Task<(int Status, JsonElement Body)> CallAsync(HttpRequest request, Task<IResult> function)
    {
        var (status, _, body) = await AnswerAsync(request, function);
        using var document = JsonDocument.Parse(body);
        return (status, document.RootElement.Clone());
    }

    [Fact]
    public async Task PostedReport_Accepted_ProcessedByTheQueueTrigger_ThenTheSameAgainIsADuplicate()
    {
        await using var app = await StartAsync();
        await app.AddTargetAsync("posted", "posted.example");
        var http = app.Function<HttpApi>();
        var message = Encoding.ASCII.GetString(Reporters.GoogleMessage(Reporters.Google("posted.example", TestClock.Yesterday, AggregateRows.Mixed("posted.example", 14, 5))));

        var post = AdminRequest(app, "POST", "/api/reports", message);
        var (accepted, answer) = await CallAsync(post, http.PostReportAsync(post, CancellationToken.None));
        var input = answer.GetProperty("input").GetString()!;

        Assert.Equal(StatusCodes.Status202Accepted, accepted);
        Assert.Equal(ReportBlobStore.InputId(Encoding.ASCII.GetBytes(message)), input);
        // The host hands the trigger the decoded body of the message as the Storage project wrote it.
        var raw = Assert.Single((await app.Get<ReportQueue>().Client.ReceiveMessagesAsync(1)).Value);
        Assert.Contains(input, raw.Body.ToString(), StringComparison.Ordinal);
        await app.Function<IngestReport>().RunAsync(raw.Body.ToString(), CancellationToken.None);
        // The host deletes a message once its function returned.
        await app.Get<ReportQueue>().Client.DeleteMessageAsync(raw.MessageId, raw.PopReceipt);

        var get = Request(app, "GET", "/api/reports/" + input, headers: new Dictionary<string, string> { ["x-functions-key"] = FunctionsHarness.ReadKey });
        var (read, record) = await CallAsync(get, http.GetReportInputAsync(get, input, CancellationToken.None));
        Assert.Equal(StatusCodes.Status200OK, read);
        Assert.Equal("processed", record.GetProperty("state").GetString());
        var report = Assert.Single(record.GetProperty("reports").EnumerateArray());
        Assert.Equal(("stored", "posted"), (report.GetProperty("status").GetString(), Assert.Single(report.GetProperty("targets").EnumerateArray()).GetString()));

        var again = AdminRequest(app, "POST", "/api/reports", message);
        var (repeated, duplicate) = await CallAsync(again, http.PostReportAsync(again, CancellationToken.None));
        Assert.Equal(StatusCodes.Status200OK, repeated);
        Assert.Equal("duplicate", Assert.Single(duplicate.GetProperty("reports").EnumerateArray()).GetProperty("status").GetString());
        Assert.Equal(0, (await app.Get<ReportQueue>().GetDepthAsync()).Messages);
    }

    [Fact]
    public async Task BodyPastTheCap_413_NothingStored()
    {
        await using var app = await StartAsync();
        var http = app.Function<HttpApi>();

        var post = AdminRequest(app, "POST", "/api/reports", new string('x', Cap + 1));
        var (status, problem) = await CallAsync(post, http.PostReportAsync(post, CancellationToken.None));

        Assert.Equal(StatusCodes.Status413PayloadTooLarge, status);
        Assert.Contains("MailHealth:Reports:MaxMessageBytes", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await foreach (var blob in app.Get<Storage.Configuration.StorageAccount>().ReportContainer.GetBlobsAsync())
        {
            Assert.Fail($"stored {blob.Name}");
        }
    }

    [Fact]
    public async Task IngestReport_AMessageThatIsNotAReportRequest_Throws()
    {
        await using var app = await StartAsync();

        await Assert.ThrowsAsync<QueueMessageFormatException>(() => app.Function<IngestReport>().RunAsync("{not json", CancellationToken.None));
    }
}
