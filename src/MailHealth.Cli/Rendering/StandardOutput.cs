using System.Text;

namespace MailHealth.Cli.Rendering;

/// <summary>
/// The commands' standard output. Console.Out writes through 256 bytes at a time, one write call
/// each: a fleet run's JSON line (kilobytes) would cost dozens, and wake its reader as often. This
/// writer holds what it is given until the command flushes (after each report, after serve's
/// banner) or the process ends, and then writes it in one call.
/// </summary>
internal static class StandardOutput
{
    /// <summary>Larger than a report's JSON line, so that each line goes out whole.</summary>
    public const int BufferSize = 1 << 16;

    /// <summary>A writer over <paramref name="stream"/>, safe for several threads as Console.Out is.</summary>
    public static TextWriter Over(Stream stream) =>
        TextWriter.Synchronized(new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), BufferSize));
}
