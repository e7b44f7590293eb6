using System.CommandLine;
using System.Globalization;
using MailHealth.Cli.Serve;
using MailHealth.Monitor;
using MailHealth.Monitor.Notifications;
using MailHealth.Reports;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MailHealth.Cli.Commands;

/// <summary>
/// <c>mailhealth notify test [--config FILE] [--channel NAME] [--json]</c>: the "send test" button.
/// Composes only the notification services from the monitor's settings (the file <c>serve</c>
/// reads, then the environment), sends a test notification through each configured channel (or
/// the one named) and prints per channel what became of it and what the receiver answered; never
/// a URL, key or password. Exit 0: every channel delivered; 1: one did not; 2: bad usage or a bad
/// setting, an unknown channel, or no channel at all.
/// </summary>
internal static class NotifyCommand
{
    public static Command Create(TextWriter output, TimeProvider time)
    {
        var config = CommonOptions.Config();
        var channel = new Option<string?>("--channel")
        {
            Description = "Only this channel: its name under MailHealth:Notifications:Channels (case-insensitive).",
            HelpName = "NAME",
        };
        var json = CommonOptions.Json();
        var test = new Command("test", "Send a test notification through each configured channel (or --channel) and say per channel what the receiver answered. Exit 0: all delivered; 1: one was not; 2: bad usage or settings.")
        {
            config, channel, json,
        };
        test.SetAction(async (parse, cancellationToken) =>
        {
            var results = await TestAsync(parse.GetValue(config), parse.GetValue(channel), time, cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                await output.WriteLineAsync(ReportJson.SerializeLine(new { channels = results })).ConfigureAwait(false);
            }
            else
            {
                await WriteTextAsync(output, results).ConfigureAwait(false);
            }

            return results.All(r => r.Outcome == ChannelTestOutcome.Delivered) ? ExitCodes.Ok : ExitCodes.NotDelivered;
        });
        return new Command("notify", "Notification channels: test them.") { test };
    }

    private static async Task<IReadOnlyList<ChannelTestResult>> TestAsync(string? configPath, string? channel, TimeProvider time, CancellationToken cancellationToken)
    {
        if (channel is not null && !NotificationOptionsValidator.IsValidChannelName(channel))
        {
            throw new UsageException($"--channel '{channel}' is not a channel name (1-64 letters, digits, '-' or '_')");
        }

        var file = configPath is null ? null : await ServeConfigFile.ReadAsync(configPath, cancellationToken).ConfigureAwait(false);
        var configuration = ServeConfigFile.AddSettings(new ConfigurationBuilder(), file).Build();
        var services = new ServiceCollection();
        services.AddSingleton(time);
        // No log providers: the command's report says per channel what happened.
        services.AddLogging();
        services.AddMailHealthNotifications(configuration);
        await using var provider = services.BuildServiceProvider();
        if (StartupErrors.Collect(provider) is { Count: > 0 } problems)
        {
            throw new UsageException(string.Join('\n', problems));
        }

        var results = await provider.GetRequiredService<NotificationTester>().TestAsync(channel, cancellationToken).ConfigureAwait(false);
        return results switch
        {
            null => throw new UsageException($"--channel {channel}: no channel of that name is configured (configured: {string.Join(", ", provider.GetRequiredService<NotificationChannels>().Names.Order(StringComparer.Ordinal))})"),
            { Count: 0 } => throw new UsageException($"no notification channel is configured ({NotificationOptions.SectionPath}:Channels){(file is null ? "; no --config was given" : "")}"),
            _ => results,
        };
    }

    /// <summary>One sentence per channel, then how many delivered.</summary>
    private static async Task WriteTextAsync(TextWriter output, IReadOnlyList<ChannelTestResult> results)
    {
        foreach (var result in results)
        {
            var what = $"{result.Name} ({result.Type.ToString().ToLowerInvariant()})";
            var answer = result.Answer is null ? "No answer." : $"The receiver answered: {result.Answer}";
            var line = result.Outcome == ChannelTestOutcome.Delivered
                ? $"{what}: delivered. {answer}"
                : $"{what}: {result.Outcome.ToString().ToLowerInvariant()}: {result.Reason}. {answer}";
            await output.WriteLineAsync(line).ConfigureAwait(false);
        }

        var delivered = results.Count(r => r.Outcome == ChannelTestOutcome.Delivered);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{delivered} of {results.Count} channel(s) delivered the test.")).ConfigureAwait(false);
    }
}
