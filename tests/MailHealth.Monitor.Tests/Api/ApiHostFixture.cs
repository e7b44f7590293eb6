namespace MailHealth.Monitor.Tests.Api;

/// <summary>One API host for a test class whose tests only read, or check that nothing changed: one target, <c>shop</c>, stored.</summary>
public sealed class ApiHostFixture : IAsyncLifetime
{
    private ApiHost? _api;

    public ApiHost Api => _api ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        _api = await ApiHost.StartAsync();
        await _api.AddTargetAsync("shop", "shop.example");
    }

    public async Task DisposeAsync()
    {
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }
    }
}
