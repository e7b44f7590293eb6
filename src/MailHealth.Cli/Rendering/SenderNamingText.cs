using MailHealth.Monitor.ReceiverReports;
using Microsoft.Extensions.DependencyInjection;
using static MailHealth.Cli.Rendering.ReportText;

namespace MailHealth.Cli.Rendering;

/// <summary>
/// <c>reports import</c> and <c>reports poll</c>: one line on what naming the stored reports'
/// sources did (docs/reports.md, "Naming the senders"), when a report's sources were named;
/// nothing with <c>--no-naming</c>.
/// </summary>
internal static class SenderNamingText
{
    public static async Task WriteAsync(TextWriter output, IServiceProvider services)
    {
        if (services.GetService<DmarcSenderNaming>()?.Totals is not { Namings: > 0 } totals)
        {
            return;
        }

        var line = Invariant($"sender names: {totals.Sources:N0} sources, {totals.Due:N0} to name, {totals.Named:N0} named in {totals.Took.TotalSeconds:N1} s ({totals.LookingUp.TotalSeconds:N1} s of lookups)");
        if (totals.Due > totals.Named || totals.Failed > 0)
        {
            line += Invariant($"; {totals.Due - totals.Named:N0} not named") + (totals.Failed > 0 ? Invariant($" ({totals.Failed:N0} naming(s) failed, the last: {totals.LastFailure})") : " in time")
                + ", left to the next run of their domain's target";
        }

        await output.WriteLineAsync(line).ConfigureAwait(false);
    }
}
