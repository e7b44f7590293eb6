using MailHealth.Checks;

namespace MailHealth.Smtp;

/// <summary>Probes every host and port of a target, with the run's concurrency bound.</summary>
public static class SmtpProbeRunner
{
    public static async Task<IReadOnlyList<SmtpProbeOutcome>> ProbeAllAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var mailHosts = await context.MailHosts.ConfigureAwait(false);
        var hosts = mailHosts.Hosts.DistinctBy(h => h.Name, StringComparer.OrdinalIgnoreCase).ToList();
        var ports = context.Target.Ports.Distinct().ToList();
        var named = mailHosts.Source == MailHostSource.Explicit;
        var probes = hosts.SelectMany(host => ports.Select(port => ProbeOneAsync(context, host, port, named, cancellationToken)));
        return await Task.WhenAll(probes).ConfigureAwait(false);
    }

    private static async Task<SmtpProbeOutcome> ProbeOneAsync(
        CheckContext context, MailHost host, Targets.PortSpec port, bool namedByTarget, CancellationToken cancellationToken)
    {
        if (host.Addresses.Count == 0)
        {
            // Nothing to connect to: the result says so (status error) without taking a slot.
            return await SmtpProbe.ProbeAsync(context, host, port, cancellationToken).ConfigureAwait(false);
        }

        var verdicts = host.Addresses.Select(context.Options.AddressPolicy.Judge).ToList();
        if (verdicts.All(v => !v.Permitted))
        {
            // Nothing we may connect to: said without a slot, and never shared, since what it
            // means depends on whether the target named the host.
            return SmtpProbe.NotAllowed(context, host, port, verdicts, namedByTarget);
        }

        if (context.SharedProbes is not { } shared || !SharedProbes.CanShare(context.Target, port))
        {
            return await ProbeInSlotsAsync(context, host, port, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            return await shared.ProbeAsync(host, port, ct => ProbeInSlotsAsync(context, host, port, ct), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return SmtpProbe.NotRun(context, host, port, "the run was cancelled or ran out of time before this probe finished");
        }
    }

    /// <summary>The probe in a slot of the run's bound and one of the process-wide bound.</summary>
    private static async Task<SmtpProbeOutcome> ProbeInSlotsAsync(CheckContext context, MailHost host, Targets.PortSpec port, CancellationToken cancellationToken)
    {
        try
        {
            await context.Concurrency.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return SmtpProbe.NotRun(context, host, port, "the run was cancelled or ran out of time before this probe started");
        }

        try
        {
            return await context.Network.RunAsync(ct => SmtpProbe.ProbeAsync(context, host, port, ct), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The process-wide bound was full until the run's deadline.
            return SmtpProbe.NotRun(context, host, port, "the run was cancelled or ran out of time while this probe waited for a network slot");
        }
        finally
        {
            context.Concurrency.Release();
        }
    }
}
