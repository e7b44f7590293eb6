
using MailHealth.Dns;
using MailHealth.Network;

namespace MailHealth.Checks;

/// <summary>
/// Collects what a check sees and derives its status: <c>error</c> when marked so, else the
/// worst finding decides (critical: fail, warning: warn, info or none: pass).
/// </summary>
public sealed class CheckResultBuilder
{
    private readonly Dictionary<string, double> _metrics = [];
    private readonly Dictionary<string, object?> _evidence = [];
    private readonly List<Finding> _findings = [];
    private readonly TimeProvider _time;
    private readonly long _started;
    private string? _error;

    public CheckResultBuilder(string id, string kind, string subject, TimeProvider time)
    {
        Id = id;
        Kind = kind;
        Subject = subject;
        _time = time;
        _started = time.GetTimestamp();
    }

    public string Id { get; }

    public string Kind { get; }

    public string Subject { get; }

    public IReadOnlyList<Finding> Findings => _findings;

    public CheckResultBuilder Add(Finding finding)
    {
        _findings.Add(finding);
        return this;
    }

    public CheckResultBuilder Add(
        string code, Severity severity, string message, IReadOnlyDictionary<string, object?>? evidence = null, string? subject = null)
        => Add(new Finding(code, severity, subject ?? Subject, message, evidence));

    public CheckResultBuilder Metric(string name, double value)
    {
        _metrics[name] = value;
        return this;
    }

    public CheckResultBuilder Evidence(string name, object? value)
    {
        _evidence[name] = value;
        return this;
    }

    /// <summary>Marks the check as not carried out. Findings already added are kept.</summary>
    public CheckResultBuilder MarkError(string reason)
    {
        _error ??= reason;
        return this;
    }

    /// <summary>
    /// When <paramref name="answer"/> could not be had (timeout, SERVFAIL, garbage): adds DNS_TIMEOUT
    /// or DNS_SERVFAIL as "<paramref name="lookup"/>: what happened" and marks the check error,
    /// since a failed lookup says nothing about the target. Returns whether it did.
    /// </summary>
    public bool AddLookupFailure(DnsAnswer answer, string lookup, string? subject = null, string detail = "")
    {
        ArgumentNullException.ThrowIfNull(answer);
        if (answer.FailureCode is not { } code)
        {
            return false;
        }

        Add(code, Severity.Warning, $"{lookup}: {answer.Describe()}{detail}{answer.FailureHint}", subject: subject);
        MarkError(answer.Describe());
        return true;
    }

    /// <summary>
    /// When <paramref name="answer"/> could not be had but the verdict does not rest on it: adds
    /// DNS_LOOKUP_INCOMPLETE (info) naming the failed query and what it leaves uncertain, and keeps
    /// the check's status (issue 10: one failed name must not erase the verdict on the others).
    /// Returns whether it did.
    /// </summary>
    public bool AddIncompleteLookup(DnsAnswer answer, string uncertain, string? subject = null)
    {
        ArgumentNullException.ThrowIfNull(answer);
        if (answer.FailureCode is null)
        {
            return false;
        }

        Add(DnsFindingCodes.LookupIncomplete, Severity.Info, $"{answer.Describe()}: {uncertain}",
            new Dictionary<string, object?> { ["query"] = $"{answer.Type} {answer.Name}", ["answer"] = answer.Describe() }, subject);
        return true;
    }

    /// <summary>
    /// A finding that <paramref name="what"/>, from the domain's public DNS, resolves to addresses
    /// the address policy refuses (docs/address-policy.md): no internet address, so senders cannot
    /// use them, and the monitor does not connect to them. Critical when the host has no other
    /// address (<paramref name="consequence"/> then says what is lost), else a warning: senders fall
    /// back to the other addresses.
    /// </summary>
    public CheckResultBuilder AddNotOnTheInternet(
        string code, string what, string host, IReadOnlyList<AddressVerdict> refused, bool noOtherAddress, string consequence, string subject)
    {
        ArgumentNullException.ThrowIfNull(refused);
        var (severity, why) = noOtherAddress
            ? (Severity.Critical, consequence)
            : (Severity.Warning, "senders that try that address fail and must fall back to the others");
        return Add(code, severity, $"{what} resolves to {string.Join("; ", refused)}, not an internet address: {why}; the monitor does not connect to it",
            new Dictionary<string, object?> { ["host"] = host, ["addresses"] = refused.Select(v => v.ToEvidence()).ToList() }, subject);
    }

    /// <summary>Milliseconds since the builder was made, by the injected clock.</summary>
    public long ElapsedMs => (long)_time.GetElapsedTime(_started).TotalMilliseconds;

    public CheckResult Build()
    {
        var status = _error is not null ? CheckStatus.Error : StatusOf(_findings);
        return new CheckResult
        {
            Id = Id,
            Kind = Kind,
            Subject = Subject,
            Status = status,
            DurationMs = ElapsedMs,
            Metrics = new Dictionary<string, double>(_metrics),
            Evidence = new Dictionary<string, object?>(_evidence),
            Findings = [.. _findings.OrderByDescending(f => f.Severity)],
            Error = _error,
        };
    }

    public static CheckStatus StatusOf(IEnumerable<Finding> findings)
    {
        var worst = findings.Select(f => (Severity?)f.Severity).Max();
        return worst switch
        {
            Severity.Critical => CheckStatus.Fail,
            Severity.Warning => CheckStatus.Warn,
            _ => CheckStatus.Pass,
        };
    }
}
