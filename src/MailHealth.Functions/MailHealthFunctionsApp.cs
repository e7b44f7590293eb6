using Azure.Core;
using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using MailHealth.Monitor;
using MailHealth.Monitor.Api;
using MailHealth.Monitor.Availability;
using MailHealth.Monitor.Scheduling;
using MailHealth.Storage.Configuration;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MailHealth.Functions;

/// <summary>The Functions worker as Program.cs builds it; the tests build it the same way.</summary>
public static class MailHealthFunctionsApp
{
    /// <summary>The Application Insights connection string; without it nothing is exported (a local run, the tests).</summary>
    public const string ConnectionStringSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary><c>Authorization=AAD</c> and, for a user-assigned identity, <c>ClientId=...</c>: Entra ingestion (local auth is off).</summary>
    public const string AuthenticationStringSetting = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";

    /// <summary>
    /// Builds the worker host: ASP.NET Core integration, the monitor's services, telemetry, and the
    /// settings validated at once, so a bad setting stops the app here with its path
    /// (<see cref="OptionsValidationException"/>), not at the first message that needs it.
    /// </summary>
    /// <param name="configure">Extra configuration, after the host's own sources (tests).</param>
    /// <param name="services">Extra registrations, after the app's (tests: a fake clock).</param>
    public static IHost Build(string[] args, Action<IConfigurationBuilder>? configure = null, Action<IServiceCollection>? services = null)
    {
        var builder = FunctionsApplication.CreateBuilder(args);
        configure?.Invoke(builder.Configuration);
        builder.ConfigureFunctionsWebApplication();
        builder.Logging.KeepKeysOutOfLogs();
        AddMailHealthFunctions(builder.Services, builder.Configuration);
        AddTelemetry(builder.Services, builder.Configuration);
        services?.Invoke(builder.Services);

        var host = builder.Build();
        host.Services.GetRequiredService<IStartupValidator>().Validate();
        if (host.Services.GetRequiredService<IOptions<SignInSettings>>().Value is { IsRequested: true, IsTrusted: false })
        {
            FunctionsLog.SignInNotTrusted(host.Services.GetRequiredService<ILogger<SignInSettings>>(), FunctionsSettings.SignInSetting, FunctionsSettings.PlatformAuthenticationSetting);
        }

        return host;
    }

    /// <summary>
    /// The monitor and its API (<c>AddMailHealthMonitor</c>, <c>AddMailHealthApi</c>: the app checks
    /// its own keys) with storage taken from the triggers' connection, the schedule setting checked,
    /// the tables and queues created in the background, and Entra ID sign-in when asked for and the
    /// platform's authentication is on.
    /// </summary>
    public static IServiceCollection AddMailHealthFunctions(IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddMailHealthMonitor(configuration);
        services.AddMailHealthApi(configuration);
        var signIn = SignInSettings.Read(configuration);
        services.AddOptions<SignInSettings>()
            .Configure(settings => (settings.Requested, settings.Platform) = (signIn.Requested, signIn.Platform))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<SignInSettings>, SignInSettings.Validator>();
        if (signIn.IsTrusted)
        {
            services.AddSingleton<PlatformSignIn>();
        }

        var storage = new FunctionsStorage(configuration);
        services.AddSingleton<IPostConfigureOptions<StorageOptions>>(storage);
        services.AddSingleton<IValidateOptions<StorageOptions>>(storage);
        services.AddMailHealthSchedule(configuration, ScheduleTimers.Functions);
        // The tables and queues are created in the background: a storage outage or a role
        // assignment that has not propagated yet must neither stop nor stall the worker's start.
        services.AddHostedService<StorageStartupService>();
        return services;
    }

    /// <summary>
    /// OpenTelemetry to Application Insights, authenticated with the managed identity. Chosen over
    /// the classic Application Insights SDK (in maintenance; its 3.x is itself built on this
    /// exporter) because the exporter takes an Entra credential directly and host.json's
    /// telemetryMode makes the host emit the same way, so host and worker spans correlate.
    /// </summary>
    private static void AddTelemetry(IServiceCollection services, IConfiguration configuration)
    {
        if (string.IsNullOrEmpty(configuration[ConnectionStringSetting]))
        {
            return;
        }

        var credential = Credential(configuration[AuthenticationStringSetting]);
        services.AddOpenTelemetry()
            .UseFunctionsWorkerDefaults()
            .UseAzureMonitorExporter(options =>
            {
                options.ConnectionString = configuration[ConnectionStringSetting];
                options.Credential = credential;
            });
    }

    /// <summary>The credential an authentication string asks for; null (the connection string's key) without <c>Authorization=AAD</c>.</summary>
    internal static TokenCredential? Credential(string? authenticationString)
    {
        var parts = (authenticationString ?? "")
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => part.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.OrdinalIgnoreCase);
        if (!parts.TryGetValue("Authorization", out var authorization) || !authorization.Equals("AAD", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return parts.TryGetValue("ClientId", out var clientId) && clientId.Length > 0
            ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned);
    }
}
