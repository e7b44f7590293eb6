using System.CommandLine;
using MailHealth.Cli.Serve;
using MailHealth.Storage.Availability;
using Microsoft.Extensions.Hosting;

namespace MailHealth.Cli.Commands;

/// <summary>
/// <c>mailhealth serve [--config FILE] [--urls URL]</c>: the whole monitor in one process until
/// Ctrl+C (or SIGTERM), then a graceful stop and exit 0. Exit 2: a bad config file or setting;
/// 1: storage could not be reached at start-up.
/// </summary>
internal static class ServeCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var config = CommonOptions.Config();
        var urls = new Option<string?>("--urls")
        {
            Description = $"Where to listen, ';'-separated; default {ServeHost.DefaultUrls} (loopback only).",
            HelpName = "URL",
        };
        var command = new Command("serve", "Run the monitor: scheduled probes, the queue worker, the HTTP API and Prometheus metrics at /metrics, until Ctrl+C.")
        {
            config, urls,
        };

        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new ServeOptions { ConfigFile = parse.GetValue(config), Urls = parse.GetValue(urls) };
            await using var host = await ServeHost.CreateAsync(options, cancellationToken).ConfigureAwait(false);
            try
            {
                await host.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (StorageUnavailableException e)
            {
                await error.WriteLineAsync($"mailhealth: storage is not reachable: {e.Message}").ConfigureAwait(false);
                return 1;
            }

            foreach (var address in host.Addresses)
            {
                await output.WriteLineAsync($"mailhealth serve: listening on {address} (API {address.TrimEnd('/')}/api, metrics {address.TrimEnd('/')}/metrics)").ConfigureAwait(false);
            }

            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await host.App.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C: WaitForShutdownAsync has stopped the host gracefully.
            }

            await output.WriteLineAsync("mailhealth serve: stopped").ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }
}
