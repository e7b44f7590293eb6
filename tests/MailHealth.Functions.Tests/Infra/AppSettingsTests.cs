using System.Text.Json.Nodes;

namespace MailHealth.Functions.Tests.Infra;

/// <summary>Every setting the code reads is set by the template (or explicitly left to its default here), and the template sets nothing the code does not read.</summary>
public sealed class AppSettingsTests
{
    /// <summary>
    /// Settings the template leaves unset on purpose, each with why. Everything else the code reads
    /// must be set by the template, so a new setting is a decision, not an accident.
    /// </summary>
    private static readonly IReadOnlyDictionary<string, string> LeftToDefault = new Dictionary<string, string>
    {
        // The storage connection: the template uses the identity form (accountName + clientId).
        ["AzureWebJobsStorage"] = "the connection-string form, for local runs on Azurite",
        ["AzureWebJobsStorage:tableServiceUri"] = "the explicit-endpoint form, instead of accountName",
        ["AzureWebJobsStorage:queueServiceUri"] = "the explicit-endpoint form, instead of accountName",
        ["AzureWebJobsStorage:blobServiceUri"] = "the explicit-endpoint form, instead of accountName",

        // Deadlines and thresholds of the checks: the documented defaults suit a deployment.
        ["MailHealth:Checks:ConnectTimeout"] = "default 10 s",
        ["MailHealth:Checks:GreetingTimeout"] = "default 30 s",
        ["MailHealth:Checks:GreetingSlowThreshold"] = "default 5 s",
        ["MailHealth:Checks:CommandTimeout"] = "default 15 s",
        ["MailHealth:Checks:TlsTimeout"] = "default 15 s",
        ["MailHealth:Checks:ProbeDeadline"] = "default 60 s",
        ["MailHealth:Checks:RunDeadline"] = "default 3 min, within host.json's functionTimeout",
        ["MailHealth:Checks:MtaStsPolicyTimeout"] = "default 30 s",
        ["MailHealth:Checks:MaxConcurrency"] = "default 8",
        ["MailHealth:Checks:ShareProbesFor"] = "default 1 min, below the schedule's interval",
        ["MailHealth:Checks:CertificateCriticalDays"] = "default 7",
        ["MailHealth:Checks:CertificateWarningDays"] = "default 21",
        ["MailHealth:Checks:ProbeSender"] = "only for the opt-in relay test; default a reserved address",
        ["MailHealth:Checks:RelayTestRecipient"] = "only for the opt-in relay test; default a reserved address",
        ["MailHealth:Checks:TrustRootsFile"] = "a private CA's file: there is no file in a deployment; the system store is trusted",
        ["MailHealth:Checks:AllowedNetworks:{n}"] = "default none: a deployment probes the internet, never its own network (docs/address-policy.md)",

        // DNS: Azure's resolver (the system's) by default.
        ["MailHealth:Dns:Servers:{n}"] = "default: the system's resolvers (Azure DNS)",
        ["MailHealth:Dns:Timeout"] = "default 3 s",
        ["MailHealth:Dns:Retries"] = "default 1",
        ["MailHealth:Dns:UseCache"] = "default on",
        ["MailHealth:Dns:MaximumCacheAge"] = "default 1 h: Azure DNS caches by TTL too (an authoritative server's answers: half the schedule's interval)",
        ["MailHealth:Dns:CacheCapacity"] = "default 200,000 answers, about 100 MB for 12,000 domains",
        ["MailHealth:Network:MaxConcurrency"] = "default 256, above host.json's batch of runs",
        ["MailHealth:Network:MaxDnsQueries"] = "default 256 questions in flight, its own bound beside the connections'",
        ["MailHealth:Fleet:MaxConcurrentTargets"] = "serve's fleet runner; the Functions app scales by queue messages",

        // Storage's retries and deadlines: the documented defaults are set for Azure Storage.
        ["MailHealth:Storage:NetworkTimeout"] = "default 10 s",
        ["MailHealth:Storage:MaxRetries"] = "default 3",
        ["MailHealth:Monitor:StorageDeadline"] = "default 1 min: a run's storage work, the schedule's tick, the start-up",
        ["MailHealth:Api:StorageDeadline"] = "default 10 s, then 503 with Retry-After",
        ["MailHealth:Api:ReadCacheBytes"] = "default 32 MiB per instance, each answer kept at most one interval",

        ["MailHealth:Monitor:EgressWindow"] = "default 30 min",
        ["MailHealth:Monitor:EgressMinimumTargets"] = "default 2",
        ["MailHealth:Monitor:MessageVisibilityTimeout"] = "serve's queue worker; the Functions host keeps a message hidden while its function runs",
        ["MailHealth:Monitor:RunsInFlight"] = "serve's queue worker; the Functions host takes host.json's batch size and scales out",
        ["MailHealth:Monitor:PublicUrl"] = "the dashboard's address is known once deployed (a regional host name, a custom domain): docs/deploy.md says to set it",
        ["MailHealth:Alerts:MinimumSeverity"] = "default warning",
        ["MailHealth:Alerts:OpenAfterRuns"] = "default 2",
        ["MailHealth:Alerts:OpenAfterRunsCritical"] = "default 1",
        ["MailHealth:Alerts:ResolveAfterRuns"] = "default 2",

        // Channels: the template declares a webhook-like channel and an e-mail channel; these
        // options keep their defaults (every target, alerts only, every severity, 30 s, Auto TLS).
        ["MailHealth:Notifications:Channels:{name}:Security"] = "default Auto: 465 implicit TLS, otherwise STARTTLS",
        ["MailHealth:Notifications:Channels:{name}:CaFile"] = "a private CA's file: none in a deployment",
        ["MailHealth:Notifications:Channels:{name}:Timeout"] = "default 30 s",
        ["MailHealth:Notifications:Channels:{name}:Tags:{n}"] = "default: every target",
        ["MailHealth:Notifications:Channels:{name}:Events:{n}"] = "default: alerts only",
        ["MailHealth:Notifications:Channels:{name}:MinimumSeverity"] = "default: every alert",
        ["MailHealth:Notifications:Retry:MaxAttempts"] = "default 6",
        ["MailHealth:Notifications:Retry:InitialBackoff"] = "default 30 s",
        ["MailHealth:Notifications:Retry:MaxBackoff"] = "default 30 min",

        ["MailHealth:Api:MaxBodyBytes"] = "default 64 KiB",

        // Receivers' reports: the parser's caps and how reports are spread over days.
        ["MailHealth:Reports:MaxMessageBytes"] = "default 25 MiB, below the Functions host's 100 MB request limit",
        ["MailHealth:Reports:MaxDecompressedBytes"] = "default 1 GiB",
        ["MailHealth:Reports:MaxArchiveEntries"] = "default 100",
        ["MailHealth:Reports:MaxTlsReportBytes"] = "default 16 MiB",
        ["MailHealth:Ingestion:MaxReportDays"] = "default 31",
        ["MailHealth:Ingestion:RetentionDays"] = "default 400",
        ["MailHealth:SenderNaming:Concurrency"] = "default 32 lookups at once",
        ["MailHealth:SenderNaming:Deadline"] = "default 30 s a report",
        ["MailHealth:SenderNaming:CacheCapacity"] = "default 100,000 names",
        ["MailHealth:SenderNaming:CacheAge"] = "default 1 h",
        ["MailHealth:SenderNaming:RenameAfter"] = "default 7 days",
        ["MailHealth:SenderNaming:RetryAfter"] = "default 10 min",
        ["MailHealth:ReceiverFindings:ReportAddresses:{n}"] = "the mailbox a deployment reads is set once it has one (docs/deploy.md)",
        ["MailHealth:ReceiverFindings:WindowDays"] = "default 7",
        ["MailHealth:ReceiverFindings:UnknownSenderMessagesPerDay"] = "default 10",
        ["MailHealth:ReceiverFindings:UnknownSenderSeverity"] = "default warning",
        ["MailHealth:ReceiverFindings:AuthorisedSenderMessagesPerDay"] = "default 10",
        ["MailHealth:ReceiverFindings:AuthorisedSenderSeverity"] = "default warning",
        ["MailHealth:ReceiverFindings:MissingReportDays"] = "default 3",
        ["MailHealth:ReceiverFindings:MissingReportsSeverity"] = "default warning",
        ["MailHealth:ReceiverFindings:TlsFailedSessions"] = "default 1",
        ["MailHealth:ReceiverFindings:TlsFailuresSeverity"] = "default warning",
        ["MailHealth:ReceiverFindings:ReadyDays"] = "default 30",
        ["MailHealth:ReceiverFindings:ReadyPassPercent"] = "default 99",
        ["MailHealth:ReceiverFindings:ReadySeverity"] = "default info",
        [FunctionsSettings.PlatformAuthenticationSetting] = "set by the platform itself while App Service Authentication is on",
    };

    /// <summary>Set by the template for the Functions host itself, which the worker never reads.</summary>
    private static readonly string[] ReadByTheHost =
    [
        "AzureWebJobsStorage:credential", // managedidentity: the host's triggers connect with the identity
    ];

    private static readonly Lazy<Task<IReadOnlyList<string>>> Template = new(async () =>
    {
        var (exitCode, output, errors) = await Bicep.RunAsync("build", "main.bicep", "--stdout");
        Assert.True(exitCode == 0, errors);
        return TemplateSettings.Of(JsonNode.Parse(output)!);
    });

    [Fact]
    public void CodeSettings_AreDerivedFromTheCode()
    {
        // The derivation finds the settings classes and the app's own settings: a sample of each kind.
        Assert.Contains("MailHealth:Checks:HeloName", CodeSettings.All);
        Assert.Contains("MailHealth:Dns:Servers:{n}", CodeSettings.All);
        Assert.Contains("MailHealth:Notifications:Channels:{name}:To:{n}", CodeSettings.All);
        Assert.Contains("MailHealth:Notifications:Retry:MaxAttempts", CodeSettings.All);
        Assert.Contains("MailHealth:Storage:TablePrefix", CodeSettings.All);
        Assert.Contains("MAILHEALTH_SCHEDULE", CodeSettings.All);
        Assert.Contains("APPLICATIONINSIGHTS_AUTHENTICATION_STRING", CodeSettings.All);
        Assert.DoesNotContain(CodeSettings.All, s => s.Contains("ExtraTrustRoots", StringComparison.Ordinal));
        Assert.DoesNotContain(CodeSettings.All, s => s.Contains("AddressPolicy", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Template_SetsEverySettingTheCodeReads()
    {
        var template = await Template.Value;

        var missing = CodeSettings.All
            .Where(setting => !LeftToDefault.ContainsKey(setting) && !CodeSettings.DerivedStorageSettings.Contains(setting))
            .Where(setting => !template.Any(name => CodeSettings.Matches(setting, name)))
            .ToList();

        Assert.True(missing.Count == 0, "the template does not set: " + string.Join(", ", missing));
    }

    [Fact]
    public async Task Template_SetsNothingTheCodeDoesNotRead()
    {
        var template = await Template.Value;

        var unread = template
            .Where(name => !ReadByTheHost.Any(host => CodeSettings.Matches(host, name)))
            .Where(name => !CodeSettings.All.Any(setting => CodeSettings.Matches(setting, name)))
            .ToList();

        Assert.True(unread.Count == 0, "the code does not read: " + string.Join(", ", unread));
    }

    [Fact]
    public async Task Template_NeverSetsWhatTheFunctionsAppDerives()
    {
        var template = await Template.Value;

        // The Functions app refuses to start with these: they come from AzureWebJobsStorage and MAILHEALTH_*_QUEUE.
        Assert.DoesNotContain(template, name => CodeSettings.DerivedStorageSettings.Any(derived => CodeSettings.Matches(derived, name)));
    }

    [Fact]
    public void LeftToDefault_NamesOnlySettingsTheCodeReads()
    {
        // A renamed setting must not linger here as a silent exemption.
        Assert.All(LeftToDefault.Keys, setting => Assert.Contains(setting, CodeSettings.All));
    }

    [Fact]
    public async Task Template_SettingNames_AreFoundInTheCompiledTemplate()
    {
        var template = await Template.Value;

        // Literal keys, keys built inside expressions, and the e-mail recipients' indexed names.
        Assert.Contains("MailHealth__Monitor__RetentionDays", template);
        Assert.Contains("AzureWebJobsStorage__clientId", template);
        Assert.Contains("MailHealth__Notifications__Channels__email__To__{0}", template);
    }
}
