namespace MailHealth.Cli.Commands;

/// <summary>The report commands' input files, opened the same way: a file that cannot be read is bad usage, named.</summary>
internal static class ReportFiles
{
    public static FileStream Open(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new UsageException($"cannot read '{path}': {e.Message}");
        }
    }
}
