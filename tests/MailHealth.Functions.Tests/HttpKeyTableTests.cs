using MailHealth.Storage.Targets;
using MailHealth.Targets;
using MailHealth.Testing.Api;

namespace MailHealth.Functions.Tests;

/// <summary>
/// The Functions app against the key table both hosts are held to (<see cref="ApiKeyTable"/>;
/// serve meets the same rows in tests/MailHealth.Cli.Tests): each row's status and body, from
/// functions the host lets through anonymously.
/// </summary>
public sealed class HttpKeyTableTests(HttpKeyTableTests.App app) : IClassFixture<HttpKeyTableTests.App>
{
    public static TheoryData<string> Rows() => [.. ApiKeyTable.Names];

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task Row_AnswersAsTheTableSays(string name)
    {
        var row = ApiKeyTable.Named(name);
        var call = ApiKeyTable.CallOf(row, FunctionsHarness.ReadKey, FunctionsHarness.AdminKey);
        var request = FunctionRequests.Request(app.Harness, call.Method, call.Path, call.Body, call.Headers, call.Query);

        var (status, contentType, body) = await FunctionRequests.AnswerAsync(request, FunctionRequests.InvokeAsync(app.Harness, row.Route, request, row.Id));

        var mismatch = ApiKeyTable.Mismatch(row, status, contentType, body);
        Assert.True(mismatch is null, mismatch);
    }

    /// <summary>One worker for every row, with the table's target stored.</summary>
    public sealed class App : IAsyncLifetime
    {
        private FunctionsHarness? _harness;

        public FunctionsHarness Harness => _harness ?? throw new InvalidOperationException("not started");

        public async Task InitializeAsync()
        {
            _harness = await FunctionsHarness.StartAsync();
            var target = TargetValidator.Validate(new TargetDefinition { Id = ApiKeyTable.TargetId, Domain = "keys-table.example", Ports = ["25"] }).Target!;
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
