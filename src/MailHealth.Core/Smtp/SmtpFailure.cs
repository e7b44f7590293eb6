namespace MailHealth.Smtp;

/// <summary>How a probe's conversation ended early, at which stage and in what way.</summary>
/// <param name="Stage">Where it ended.</param>
/// <param name="Kind">Said no, fell silent, or broke the protocol.</param>
/// <param name="Message">One line for a person, with the server's words when it had any.</param>
/// <param name="Reply">The server's reply, verbatim, when it refused something.</param>
internal sealed record SmtpFailure(SmtpStage Stage, SmtpFailureKind Kind, string Message, string? Reply = null);

/// <summary>
/// The cut MailKit makes between SmtpCommandException and SmtpProtocolException: the server
/// answered and said no, or we could not talk to it (silence, garbage, a dropped connection).
/// </summary>
internal enum SmtpFailureKind
{
    /// <summary>The server answered with a refusal (4xx/5xx, or a greeting other than 220).</summary>
    Rejected,

    /// <summary>A stage's deadline (or the probe's) passed.</summary>
    Timeout,

    /// <summary>Garbage, an endless line, a dropped connection, a failed TLS handshake.</summary>
    Broken,
}
