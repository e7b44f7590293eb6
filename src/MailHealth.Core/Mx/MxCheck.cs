using MailHealth.Checks;

namespace MailHealth.Mx;

/// <summary>The <c>mx</c> check: the shared MX lookup's result.</summary>
public sealed class MxCheck : ICheck
{
    public string Kind => MxLookup.Kind;

    public async Task<IReadOnlyList<CheckResult>> RunAsync(CheckContext context, CancellationToken cancellationToken) =>
        [(await context.Mx.ConfigureAwait(false)).Check];
}
