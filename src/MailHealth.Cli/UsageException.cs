namespace MailHealth.Cli;

/// <summary>Input the user can fix: reported as one line on stderr with exit code 2, never a stack trace.</summary>
public sealed class UsageException(string message) : Exception(message);
