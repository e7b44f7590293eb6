using System.Net.Http.Headers;
using System.Text;
using MailHealth.Storage.Targets;
using MailHealth.Targets;
using MailHealth.Testing.Api;

namespace MailHealth.Cli.Tests.Serve;

/// <summary>
/// <c>serve</c> over HTTP against the key table both hosts are held to (<see cref="ApiKeyTable"/>;
/// the Functions app meets the same rows in tests/MailHealth.Functions.Tests): each row's status and body.
/// </summary>
public sealed class ServeKeyTableTests(ServeKeyTableTests.Serve serve) : IClassFixture<ServeKeyTableTests.Serve>
{
    public static TheoryData<string> Rows() => [.. ApiKeyTable.Names];

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task Row_AnswersAsTheTableSays(string name)
    {
        var row = ApiKeyTable.Named(name);
        var call = ApiKeyTable.CallOf(row, ServeHarness.ReadKey, ServeHarness.AdminKey);
        using var request = new HttpRequestMessage(new HttpMethod(call.Method), call.Path + call.Query);
        foreach (var (header, value) in call.Headers)
        {
            request.Headers.Add(header, value);
        }

        if (call.Body is not null)
        {
            request.Content = new StringContent(call.Body, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        }

        using var response = await serve.Harness.Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        var mismatch = ApiKeyTable.Mismatch(row, (int)response.StatusCode, response.Content.Headers.ContentType?.ToString(), body);
        Assert.True(mismatch is null, mismatch);
    }

    /// <summary>One serve for every row, with the table's target stored.</summary>
    public sealed class Serve : IAsyncLifetime
    {
        private ServeHarness? _harness;

        internal ServeHarness Harness => _harness ?? throw new InvalidOperationException("not started");

        public async Task InitializeAsync()
        {
            _harness = await ServeHarness.StartAsync("[]");
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
