using System.CommandLine;
using MailHealth.Cli.Commands;

namespace MailHealth.Cli;

/// <summary>The <c>mailhealth</c> command line: parses, dispatches, and maps every outcome to an exit code.</summary>
public static class CliApp
{
    /// <param name="args">The command line.</param>
    /// <param name="output">Reports and results.</param>
    /// <param name="error">Usage errors and, on a terminal, progress.</param>
    /// <param name="errorIsTerminal">Whether <paramref name="error"/> is a terminal (progress lines are shown only there).</param>
    /// <param name="cancellationToken">Ctrl+C.</param>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, bool errorIsTerminal = false, CancellationToken cancellationToken = default)
    {
        var root = new RootCommand("MailHealth: checks a mail domain's SMTP hosts, TLS and DNS, and says what is wrong.")
        {
            CheckCommand.Create(output, error, errorIsTerminal, TimeProvider.System),
            SpfCommand.Create(output, TimeProvider.System),
            ServeCommand.Create(output, error),
            NotifyCommand.Create(output, TimeProvider.System),
            ReportsCommand.Create(output, error, TimeProvider.System),
        };

        // No response files: "@example.net" (a sender without local-part) and "@x" are arguments.
        var parse = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parse.Errors.Count > 0)
        {
            await error.WriteLineAsync($"mailhealth: {parse.Errors[0].Message}").ConfigureAwait(false);
            await error.WriteLineAsync("Run 'mailhealth --help' for usage.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        try
        {
            var configuration = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
            return await parse.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
        }
        catch (UsageException e)
        {
            // One line per problem (a config file can have several), each one prefixed.
            foreach (var line in e.Message.Split('\n'))
            {
                await error.WriteLineAsync($"mailhealth: {line}").ConfigureAwait(false);
            }

            return ExitCodes.Usage;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync("mailhealth: cancelled").ConfigureAwait(false);
            return 130;
        }
    }
}
