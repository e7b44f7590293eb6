namespace MailHealth.Cli;

/// <summary>The process exit codes every command shares (README.md, "mailhealth check").</summary>
public static class ExitCodes
{
    /// <summary>The command ran; for <c>check</c>: no critical finding.</summary>
    public const int Ok = 0;

    /// <summary><c>check</c> found at least one critical finding.</summary>
    public const int Critical = 1;

    /// <summary><c>notify test</c>: at least one channel did not take its test notification.</summary>
    public const int NotDelivered = 1;

    /// <summary><c>reports parse</c>, <c>reports import</c>: at least one input (or a report in it) is invalid.</summary>
    public const int InvalidInput = 1;

    /// <summary><c>reports import</c>, <c>reports poll</c>: storage could not be reached or failed part way; what was committed stays, importing again finishes the rest.</summary>
    public const int StorageUnavailable = 3;

    /// <summary><c>reports poll</c>: the mailbox could not be read (connection, TLS, login or the folder); what was committed stays.</summary>
    public const int MailboxUnavailable = 4;

    /// <summary>Bad usage or bad input: nothing was checked.</summary>
    public const int Usage = 2;
}
