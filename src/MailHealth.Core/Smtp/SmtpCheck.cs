using MailHealth.Checks;
using MailHealth.Targets;

namespace MailHealth.Smtp;

/// <summary>The <c>smtp:HOST:PORT</c> checks: one result per probe.</summary>
public sealed class SmtpCheck : ICheck
{
    public const string KindName = CheckKinds.Smtp;

    public string Kind => KindName;

    public async Task<IReadOnlyList<CheckResult>> RunAsync(CheckContext context, CancellationToken cancellationToken) =>
        [.. (await context.SmtpProbes.ConfigureAwait(false)).Select(p => p.Result)];
}
