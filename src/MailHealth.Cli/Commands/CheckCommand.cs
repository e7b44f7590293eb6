using System.CommandLine;
using MailHealth.Cli.Rendering;
using MailHealth.Egress;
using MailHealth.Fleet;
using MailHealth.Smtp;
using Microsoft.Extensions.DependencyInjection;

namespace MailHealth.Cli.Commands;

/// <summary>
/// <c>mailhealth check DOMAIN... | --targets FILE</c>: every check of every target once, each
/// report printed as it finishes; exit 1 when any target has a critical finding. The options are
/// <see cref="CheckCommandOptions"/>, the targets <see cref="CheckTargets"/>, the checker
/// <see cref="CheckComposition"/>.
/// </summary>
public static class CheckCommand
{
    /// <summary>Environment variables with credentials for the authenticated-submission test.</summary>
    public const string UserNameVariable = "MAILHEALTH_SMTP_USERNAME";
    public const string PasswordVariable = "MAILHEALTH_SMTP_PASSWORD";

    public static Command Create(TextWriter output, TextWriter error, bool errorIsTerminal, TimeProvider time)
    {
        var options = new CheckCommandOptions();
        var command = new Command("check", "Run every check of one or more domains once and print the reports. Exit 0: no critical finding; 1: a critical finding; 2: bad usage.");
        options.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var input = options.Read(parse);
            var targets = await CheckTargets.ReadAsync(input, cancellationToken).ConfigureAwait(false);
            await using var services = CheckComposition.BuildServices(input, time);
            var fleet = services.GetRequiredService<FleetRunner>();

            // One domain: a blanket port-25 timeout while submission connects is already the egress
            // signature, so the analysis needs only this target (a fleet asks for two).
            var egress = new EgressSignalWindow(time, TimeSpan.FromDays(1));
            var minimumTargets = targets.Count == 1 ? 1 : EgressAnalysis.DefaultMinimumTargets;
            var writer = new FleetWriter(output, error, parse.GetValue(options.Json), targets.Count, errorIsTerminal);
            await foreach (var report in fleet.RunAsync(targets, egress, minimumTargets, input.Concurrency, cancellationToken).ConfigureAwait(false))
            {
                await writer.WriteAsync(report).ConfigureAwait(false);
            }

            await writer.FinishAsync().ConfigureAwait(false);
            // The probes' last sessions close once their servers answer QUIT (RFC 5321 section 4.1.1.10).
            await SmtpClosings.Shared.DrainAsync().ConfigureAwait(false);
            return writer.AnyCritical ? ExitCodes.Critical : ExitCodes.Ok;
        });
        return command;
    }
}
