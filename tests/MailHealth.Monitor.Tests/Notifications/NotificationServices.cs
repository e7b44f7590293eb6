using MailHealth.Checks;
using MailHealth.Monitor.Notifications;
using MailHealth.Network;
using MailHealth.Notifications;
using MailHealth.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace MailHealth.Monitor.Tests.Notifications;

/// <summary>
/// The notification services as a host composes them (AddMailHealthNotifications over in-memory
/// configuration), with a fake clock, every log line captured by a real logging provider, and the
/// peers' address policy (loopback allowed: the receivers are on loopback) unless another is given.
/// </summary>
internal sealed class NotificationServices : IDisposable
{
    public static readonly DateTimeOffset Start = TestClock.Start;

    private readonly ServiceProvider _provider;

    public NotificationServices(IDictionary<string, string?> settings, int seed = 7, AddressPolicy? addressPolicy = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        Time = new FakeTimeProvider(Start);
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Time);
        services.AddSingleton(new Random(seed));
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddFakeLogging());
        services.AddSingleton(addressPolicy ?? Peers.Options().AddressPolicy);
        services.AddMailHealthNotifications(configuration);
        _provider = services.BuildServiceProvider(validateScopes: true);
    }

    public FakeTimeProvider Time { get; }

    public FakeLogCollector Logs => _provider.GetFakeLogCollector();

    public NotificationSender Sender => _provider.GetRequiredService<NotificationSender>();

    public NotificationRouter Router => _provider.GetRequiredService<NotificationRouter>();

    public NotificationChannels Channels => _provider.GetRequiredService<NotificationChannels>();

    public RetryPolicy Retry => _provider.GetRequiredService<RetryPolicy>();

    public T Get<T>()
        where T : notnull => _provider.GetRequiredService<T>();

    /// <summary>Every captured log line, formatted, with any exception text.</summary>
    public string AllLogText() => string.Join("\n", Logs.GetSnapshot().Select(r => $"{r.Level} {r.Id} {r.Message} {r.Exception}"));

    public void Dispose() => _provider.Dispose();

    public static Notification Sample(string channel, string? id = null) => new()
    {
        Id = id ?? Guid.NewGuid().ToString("N"),
        Channel = channel,
        Kind = NotificationKind.AlertOpened,
        TargetId = "example-com",
        Domain = "example.com",
        Tags = ["prod", "eu"],
        Title = "[CRITICAL] example.com: TLS_CERT_EXPIRED on mx1.example.com:25 \u2014 opened",
        Text = "The certificate of mx1.example.com:25 expired 2 days ago <& \"quoted\">",
        Severity = Severity.Critical,
        Code = "TLS_CERT_EXPIRED",
        Subject = "mx1.example.com:25",
        AlertId = "example-com.TLS_CERT_EXPIRED.0123456789abcdef",
        RunId = "example-com/20261129T155500Z",
        At = Start.AddMinutes(-5),
    };
}
