using System.Net;
using System.Net.Http.Headers;
using System.Text;
using MailHealth.Storage.Queues;
using MailHealth.Storage.Targets;
using MailHealth.Targets;
using MailHealth.Testing.Api;

namespace MailHealth.Cli.Tests.Serve;

/// <summary>
/// <c>serve</c> over HTTP against the hostile-input table both hosts are held to
/// (<see cref="ApiHostileInputTable"/>; the Functions app meets the same rows in
/// tests/MailHealth.Functions.Tests): each row's problem, and storage left as it was.
/// </summary>
public sealed class ServeHostileInputTests(ServeHostileInputTests.Serve serve) : IClassFixture<ServeHostileInputTests.Serve>
{
    public static TheoryData<int> Rows() => [.. ApiHostileInputTable.Indexes];

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task Row_IsAProblemWithItsStatus_AndChangesNothing(int index)
    {
        var row = ApiHostileInputTable.Rows[index];
        using var request = new HttpRequestMessage(new HttpMethod(row.Method), row.Target);
        request.Headers.Add("x-functions-key", ServeHarness.AdminKey);
        if (row.Body is not null)
        {
            request.Content = new StringContent(row.Body, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        }

        using var response = await serve.Harness.Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        var mismatch = ApiHostileInputTable.Mismatch(row, (int)response.StatusCode, response.Content.Headers.ContentType?.ToString(), body);
        Assert.True(mismatch is null, mismatch);
        await serve.AssertUnchangedAsync();
    }

    [Fact]
    public async Task NulInThePath_IsRefusedByTheServerItself()
    {
        // Kestrel refuses a NUL in the path before any route runs: a bare 400, no handler, no storage.
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/targets/sh%00op");
        request.Headers.Add("x-functions-key", ServeHarness.AdminKey);

        using var response = await serve.Harness.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await serve.AssertUnchangedAsync();
    }

    /// <summary>One serve for every row, with the table's target stored.</summary>
    public sealed class Serve : IAsyncLifetime
    {
        private ServeHarness? _harness;

        internal ServeHarness Harness => _harness ?? throw new InvalidOperationException("not started");

        public async Task InitializeAsync()
        {
            _harness = await ServeHarness.StartAsync("[]");
            var target = TargetValidator.Validate(new TargetDefinition { Id = ApiHostileInputTable.TargetId, Domain = "shop.example", Ports = ["25"] }).Target!;
            await Harness.Get<TargetStore>().UpsertAsync(target);
        }

        /// <summary>The table's one target, enabled, and no probe or report queued.</summary>
        public async Task AssertUnchangedAsync()
        {
            var targets = await Harness.Get<TargetStore>().ListAsync();
            Assert.Equal([ApiHostileInputTable.TargetId], targets.Items.Select(t => t.Target.Id));
            Assert.True(targets.Items[0].Target.Enabled);
            Assert.Equal(0, (await Harness.Get<ProbeQueue>().GetDepthAsync()).Messages);
            Assert.Equal(0, (await Harness.Get<ReportQueue>().GetDepthAsync()).Messages);
        }

        public async Task DisposeAsync()
        {
            if (_harness is not null)
            {
                await _harness.DisposeAsync();
            }
        }
    }
}
