using MailHealth.Functions.Triggers;
using MailHealth.Storage.Queues;
using MailHealth.Storage.Targets;
using MailHealth.Targets;
using MailHealth.Testing.Api;

namespace MailHealth.Functions.Tests;

/// <summary>
/// The Functions app against the hostile-input table both hosts are held to
/// (<see cref="ApiHostileInputTable"/>; serve meets the same rows in tests/MailHealth.Cli.Tests):
/// each row's problem from the function its path routes to (the catch-all for a path no route
/// has), and storage left as it was.
/// </summary>
public sealed class HttpHostileInputTests(HttpHostileInputTests.App app) : IClassFixture<HttpHostileInputTests.App>
{
    public static TheoryData<int> Rows() => [.. ApiHostileInputTable.Indexes];

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task Row_IsAProblemWithItsStatus_AndChangesNothing(int index)
    {
        var row = ApiHostileInputTable.Rows[index];
        var request = FunctionRequests.Request(
            app.Harness, row.Method, row.Path, row.Body, new Dictionary<string, string> { ["x-functions-key"] = FunctionsHarness.AdminKey }, row.Query);

        var function = ApiHostileInputTable.RouteOf(row) is { } routed
            ? FunctionRequests.InvokeAsync(app.Harness, routed.Route.Name, request, routed.Id)
            : app.Harness.Function<DashboardPage>().GetAsync(request, row.Path.TrimStart('/'), CancellationToken.None);
        var (status, contentType, body) = await FunctionRequests.AnswerAsync(request, function);

        var mismatch = ApiHostileInputTable.Mismatch(row, status, contentType, body);
        Assert.True(mismatch is null, mismatch);
        var targets = await app.Harness.Get<TargetStore>().ListAsync();
        Assert.Equal([ApiHostileInputTable.TargetId], targets.Items.Select(t => t.Target.Id));
        Assert.True(targets.Items[0].Target.Enabled);
        Assert.Equal(0, (await app.Harness.Get<ProbeQueue>().GetDepthAsync()).Messages);
        Assert.Equal(0, (await app.Harness.Get<ReportQueue>().GetDepthAsync()).Messages);
        Assert.Empty(app.Harness.Webhook.Requests);
    }

    /// <summary>One worker for every row, with the table's target stored.</summary>
    public sealed class App : IAsyncLifetime
    {
        private FunctionsHarness? _harness;

        public FunctionsHarness Harness => _harness ?? throw new InvalidOperationException("not started");

        public async Task InitializeAsync()
        {
            _harness = await FunctionsHarness.StartAsync();
            var target = TargetValidator.Validate(new TargetDefinition { Id = ApiHostileInputTable.TargetId, Domain = "shop.example", Ports = ["25"] }).Target!;
            await Harness.Get<TargetStore>().UpsertAsync(target);
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
