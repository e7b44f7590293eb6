namespace MailHealth.Smtp;

/// <summary>
/// The per-stage deadline of one probe: each stage re-arms one timer with its own limit, and
/// the token ends whatever MailKit is waiting for. Also records why it fired: a stage that ran
/// out of time, or a protocol violation seen in the bytes (an endless line).
/// </summary>
internal sealed class SmtpStageTimer : IDisposable
{
    private readonly CancellationTokenSource _cts;
    private readonly CancellationTokenRegistration _registration;
    private readonly Lock _gate = new();
    private SmtpStage _stage = SmtpStage.Connect;
    private SmtpStage? _expiredStage;

    public SmtpStageTimer(TimeProvider time)
    {
        _cts = new CancellationTokenSource(System.Threading.Timeout.InfiniteTimeSpan, time);
        _registration = _cts.Token.Register(OnFired);
    }

    public CancellationToken Token => _cts.Token;

    public SmtpStage Stage
    {
        get
        {
            lock (_gate)
            {
                return _stage;
            }
        }
    }

    /// <summary>The limit of the current stage.</summary>
    public TimeSpan Limit { get; private set; }

    /// <summary>The stage whose deadline passed; null while none did.</summary>
    /// <remarks>
    /// Read from the token itself, not only from <see cref="OnFired"/>: a token runs its callbacks
    /// in reverse order of registration, so MailKit's (registered later, on each read) runs first
    /// and the probe may already be classifying the failure before ours has run.
    /// </remarks>
    public SmtpStage? ExpiredStage
    {
        get
        {
            lock (_gate)
            {
                return _expiredStage ?? (_cts.IsCancellationRequested && Violation is null ? _stage : null);
            }
        }
    }

    /// <summary>What the server did that made the probe stop listening (an endless line, a flood).</summary>
    public string? Violation { get; private set; }

    public void Enter(SmtpStage stage, TimeSpan limit)
    {
        lock (_gate)
        {
            if (_cts.IsCancellationRequested)
            {
                return;
            }

            _stage = stage;
            Limit = limit;
            _cts.CancelAfter(limit);
        }
    }

    public void Abort(string violation)
    {
        lock (_gate)
        {
            if (_cts.IsCancellationRequested)
            {
                return;
            }

            Violation = violation;
        }

        _cts.Cancel();
    }

    private void OnFired()
    {
        lock (_gate)
        {
            if (Violation is null)
            {
                _expiredStage ??= _stage;
            }
        }
    }

    public void Dispose()
    {
        _registration.Dispose();
        _cts.Dispose();
    }
}
