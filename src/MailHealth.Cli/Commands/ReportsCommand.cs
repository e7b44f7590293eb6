using System.CommandLine;

namespace MailHealth.Cli.Commands;

/// <summary><c>mailhealth reports ...</c>: DMARC aggregate and SMTP TLS reports that receivers send (docs/reports.md).</summary>
internal static class ReportsCommand
{
    public static Command Create(TextWriter output, TextWriter error, TimeProvider time) =>
        new("reports", "Read and store the DMARC aggregate and SMTP TLS reports that receivers send.")
        {
            ReportsParseCommand.Create(output),
            ReportsImportCommand.Create(output, error, time),
            ReportsPollCommand.Create(output, error, time),
        };
}
