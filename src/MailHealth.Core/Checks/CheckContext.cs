using MailHealth.Dns;
using MailHealth.Memory;
using MailHealth.Mx;
using MailHealth.Network;
using MailHealth.Smtp;
using MailHealth.Targets;

namespace MailHealth.Checks;

/// <summary>
/// Everything a check may use during one run of one target. Results other checks build on (the
/// MX lookup, the SMTP probes) are computed once, on first use, and shared.
/// </summary>
public sealed class CheckContext
{
    private readonly Lazy<Task<MxResult>> _mx;
    private readonly Lazy<Task<MailHostSet>> _mailHosts;
    private readonly Lazy<Task<IReadOnlyList<SmtpProbeOutcome>>> _smtp;

    public CheckContext(
        Target target,
        DnsResolver dns,
        CheckOptions options,
        TimeProvider time,
        CheckServices services,
        CancellationToken runCancellation,
        NetworkLimiter? network = null,
        SharedProbes? sharedProbes = null,
        TargetMemory? memory = null)
    {
        Target = target;
        Dns = dns;
        Options = options;
        Time = time;
        Services = services;
        Network = network ?? NetworkLimiter.Unbounded;
        SharedProbes = sharedProbes;
        Memory = memory;
        Concurrency = new SemaphoreSlim(options.MaxConcurrency);
        DnsConcurrency = new SemaphoreSlim(options.MaxConcurrency);
        _mx = new(() => services.LookupMx(this, runCancellation));
        _mailHosts = new(() => services.ResolveMailHosts(this, runCancellation));
        _smtp = new(() => services.ProbeSmtp(this, runCancellation));
    }

    public Target Target { get; }

    public DnsResolver Dns { get; }

    public CheckOptions Options { get; }

    public TimeProvider Time { get; }

    public CheckServices Services { get; }

    /// <summary>The process-wide bound shared with every other run; SMTP probes and HTTPS fetches take a slot (DNS queries take theirs in the resolver).</summary>
    public NetworkLimiter Network { get; }

    /// <summary>What the monitor remembers about the target between runs (its DKIM selectors); null: a one-off check, which finds what it needs inline.</summary>
    public TargetMemory? Memory { get; }

    /// <summary>Probes shared with the other runs of the process; null: this run probes on its own.</summary>
    public SharedProbes? SharedProbes { get; }

    /// <summary>Bounds the connections of one run (SMTP probes, HTTPS fetches), which hold their slot for a whole conversation.</summary>
    public SemaphoreSlim Concurrency { get; }

    /// <summary>
    /// Bounds the bulk DNS questions of one run (DKIM selectors, PTR names, blocklists): a bound of
    /// its own, so that the run's DNS work goes on while its probes hold every connection slot.
    /// </summary>
    public SemaphoreSlim DnsConcurrency { get; }

    /// <summary>The domain's MX lookup and its result (the <c>mx</c> check).</summary>
    public Task<MxResult> Mx => _mx.Value;

    /// <summary>The hosts to probe: explicit ones, else those of the MX lookup.</summary>
    public Task<MailHostSet> MailHosts => _mailHosts.Value;

    /// <summary>Every SMTP probe of every host and port.</summary>
    public Task<IReadOnlyList<SmtpProbeOutcome>> SmtpProbes => _smtp.Value;

    /// <summary>A question of the run's bulk DNS work, in a slot of <see cref="DnsConcurrency"/>.</summary>
    public async Task<T> AskInSlotAsync<T>(Func<DnsResolver, CancellationToken, Task<T>> question, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(question);
        await DnsConcurrency.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await question(Dns, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            DnsConcurrency.Release();
        }
    }

    /// <summary>A builder whose clock is the run's.</summary>
    public CheckResultBuilder Result(string id, string kind, string subject) => new(id, kind, subject, Time);
}
