using MailHealth.Dns;
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
        SharedProbes? sharedProbes = null)
    {
        Target = target;
        Dns = dns;
        Options = options;
        Time = time;
        Services = services;
        Network = network ?? NetworkLimiter.Unbounded;
        SharedProbes = sharedProbes;
        Concurrency = new SemaphoreSlim(options.MaxConcurrency);
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

    /// <summary>Probes shared with the other runs of the process; null: this run probes on its own.</summary>
    public SharedProbes? SharedProbes { get; }

    /// <summary>Bounds the network work of one run (probes, bulk DNS queries).</summary>
    public SemaphoreSlim Concurrency { get; }

    /// <summary>The domain's MX lookup and its result (the <c>mx</c> check).</summary>
    public Task<MxResult> Mx => _mx.Value;

    /// <summary>The hosts to probe: explicit ones, else those of the MX lookup.</summary>
    public Task<MailHostSet> MailHosts => _mailHosts.Value;

    /// <summary>Every SMTP probe of every host and port.</summary>
    public Task<IReadOnlyList<SmtpProbeOutcome>> SmtpProbes => _smtp.Value;

    /// <summary>A builder whose clock is the run's.</summary>
    public CheckResultBuilder Result(string id, string kind, string subject) => new(id, kind, subject, Time);
}
