using MailHealth.Monitor.Api;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MailHealth.Functions.Tests;

/// <summary>
/// The worker's own ASP.NET Core server logs each request's whole URL at Information, a key in
/// <c>?code=</c> with it; those lines stay off whatever the logging configuration asks for.
/// </summary>
public sealed class RequestLoggingTests
{
    [Fact]
    public void UrlLines_StayOff_EvenWithAspNetCoreConfiguredToTrace()
    {
        var values = FunctionsHarness.Settings("flogging", new Uri("http://127.0.0.1:9/hook"));
        values["Logging:LogLevel:Default"] = "Trace";
        values["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace";
        values["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "Trace";
        using var host = MailHealthFunctionsApp.Build([], configuration => configuration.AddInMemoryCollection(values));
        var loggers = host.Services.GetRequiredService<ILoggerFactory>();

        Assert.All(ApiRequestLogging.UrlCategories, category => Assert.False(loggers.CreateLogger(category).IsEnabled(LogLevel.Information), category));
        Assert.All(ApiRequestLogging.UrlCategories, category => Assert.True(loggers.CreateLogger(category).IsEnabled(LogLevel.Warning), category));

        // The configuration does apply to the rest: the rules above are not everything switched off.
        Assert.True(loggers.CreateLogger("Microsoft.AspNetCore.Routing").IsEnabled(LogLevel.Debug));
    }
}
