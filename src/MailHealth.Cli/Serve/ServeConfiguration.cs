using MailHealth.Monitor.Api;
using MailHealth.Storage.Configuration;
using Microsoft.Extensions.Configuration;

namespace MailHealth.Cli.Serve;

/// <summary>
/// Where <c>serve</c>'s settings come from, each source over the ones before it: its defaults,
/// the config file, the environment, then the options' own settings (tests); storage is the local
/// Azurite's development account when none is configured.
/// </summary>
internal static class ServeConfiguration
{
    /// <summary>
    /// Defaults a configuration can override. The request logs of ASP.NET Core and HttpClient are
    /// kept at Warning because their Information lines carry URLs: a <c>code</c> key in a query
    /// string, a Slack or Teams webhook URL (itself a secret). The lines that carry a request's URL
    /// stay at Warning whatever the configuration says (<see cref="ApiRequestLogging"/>).
    /// </summary>
    private static readonly Dictionary<string, string?> Defaults = new()
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
        ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Warning",
        ["Logging:Console:FormatterName"] = "simple",
        ["Logging:Console:FormatterOptions:SingleLine"] = "true",
        ["Logging:Console:FormatterOptions:UseUtcTimestamp"] = "true",
        ["Logging:Console:FormatterOptions:TimestampFormat"] = "yyyy-MM-ddTHH:mm:ss.fffZ ",
    };

    /// <summary>Replaces <paramref name="configuration"/>'s sources with serve's.</summary>
    public static void Apply(ConfigurationManager configuration, ServeOptions options, ServeConfigFile? file)
    {
        configuration.Sources.Clear();
        configuration.AddInMemoryCollection(Defaults);
        ServeConfigFile.AddSettings(configuration, file);
        if (options.Settings is { } settings)
        {
            configuration.AddInMemoryCollection(settings);
        }

        UseDevelopmentStorageUnlessConfigured(configuration);
    }

    /// <summary>The local Azurite's development account, unless <paramref name="configuration"/> names storage (serve, and the commands that store as serve does).</summary>
    public static void UseDevelopmentStorageUnlessConfigured(ConfigurationManager configuration)
    {
        if (!StorageConfigured(configuration))
        {
            configuration.AddInMemoryCollection(new Dictionary<string, string?> { [StorageOptions.SectionPath + ":ConnectionString"] = ServeHost.DevelopmentStorage });
        }
    }

    private static bool StorageConfigured(IConfiguration configuration)
    {
        var storage = configuration.GetSection(StorageOptions.SectionPath);
        return !string.IsNullOrEmpty(storage["ConnectionString"]) || !string.IsNullOrEmpty(storage["AccountName"])
            || !string.IsNullOrEmpty(storage["TableServiceUri"]) || !string.IsNullOrEmpty(storage["QueueServiceUri"]) || !string.IsNullOrEmpty(storage["BlobServiceUri"]);
    }
}
