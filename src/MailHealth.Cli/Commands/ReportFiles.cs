namespace MailHealth.Cli.Commands;

/// <summary>The report commands' input files, opened the same way: a file that cannot be read is bad usage, named.</summary>
internal static class ReportFiles
{
    /// <summary>
    /// The files a report command was given, each checked readable before any is read or stored,
    /// so a typo does not come after pages of output or half an import; bad usage when none is given.
    /// </summary>
    public static async Task<string[]> CheckedAsync(string[]? paths)
    {
        if (paths is not { Length: > 0 })
        {
            throw new UsageException("give one or more report files");
        }

        foreach (var path in paths)
        {
            await using var _ = Open(path);
        }

        return paths;
    }

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
