using System.CommandLine;
using MailHealth.Cli.Rendering;
using MailHealth.ReceiverReports;
using MailHealth.Settings;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MailHealth.Cli.Commands;

/// <summary>
/// <c>mailhealth reports parse FILE... [--json]</c>: every report in each file (a message, a zip,
/// a gzip, the XML or JSON itself), normalised and printed; no storage, no network. Exit 0 when
/// every report parsed, 1 when an input or a report in it is invalid, 2 on bad usage (no file,
/// a file that cannot be read, a bad <c>MailHealth:Reports</c> setting in the environment).
/// </summary>
internal static class ReportsParseCommand
{
    public static Command Create(TextWriter output)
    {
        var files = new Argument<string[]>("FILE")
        {
            Description = "Files to read: e-mail messages (.eml), zip, gzip, XML or JSON, recognised from their bytes.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var json = CommonOptions.Json();
        json.Description = "Print each report as one line of JSON (JSON Lines), with its records or policies.";
        var command = new Command("parse", "Read report files and print each report found, normalised. Exit 0: all parsed; 1: an input is invalid; 2: bad usage.")
        {
            files, json,
        };

        command.SetAction(async (parse, cancellationToken) =>
        {
            var paths = await ReportFiles.CheckedAsync(parse.GetValue(files)).ConfigureAwait(false);

            var reader = new ReportInputReader(ReadSettings(new ConfigurationBuilder().AddEnvironmentVariables().Build()));
            var jsonWriter = parse.GetValue(json) ? new ReceivedReportJsonWriter(output) : null;
            var textWriter = new ReceivedReportTextWriter(output);
            var anyInvalid = false;
            foreach (var path in paths)
            {
                await using var stream = ReportFiles.Open(path);
                await foreach (var report in reader.ReadAsync(stream, cancellationToken).ConfigureAwait(false))
                {
                    if (jsonWriter is not null)
                    {
                        await jsonWriter.WriteAsync(path, report, cancellationToken).ConfigureAwait(false);
                    }
                    else
                    {
                        await textWriter.WriteAsync(path, report, cancellationToken).ConfigureAwait(false);
                    }

                    // Read after the writer has read the records: only then is the status final.
                    anyInvalid |= report.Status == ReceivedReportStatus.Invalid;
                }
            }

            return anyInvalid ? ExitCodes.InvalidInput : ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>
    /// The caps from <c>MailHealth:Reports</c> in <paramref name="configuration"/> (the environment:
    /// <c>MailHealth__Reports__MaxMessageBytes</c>), validated as a host validates them.
    /// </summary>
    public static ReceiverReportSettings ReadSettings(IConfiguration configuration)
    {
        using var services = new ServiceCollection()
            .AddValidatedSettings<ReceiverReportSettings>(configuration, ReceiverReportSettings.Section, ReceiverReportSettings.Validate)
            .BuildServiceProvider();
        try
        {
            return services.GetRequiredService<IOptions<ReceiverReportSettings>>().Value;
        }
        catch (OptionsValidationException e)
        {
            throw new UsageException(string.Join("\n", e.Failures));
        }
        catch (InvalidOperationException e)
        {
            // The binder: a value that is not a number.
            throw new UsageException($"{ReceiverReportSettings.Section}: {e.Message}");
        }
    }
}
