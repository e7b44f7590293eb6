namespace MailHealth.Cli.Serve;

/// <summary>How to compose a <see cref="ServeHost"/>: the command's flags, and what tests replace.</summary>
public sealed class ServeOptions
{
    /// <summary>The <c>--config</c> file, or null for settings from the environment only.</summary>
    public string? ConfigFile { get; init; }

    /// <summary>The <c>--urls</c> flag: where Kestrel listens (<c>;</c>-separated); null: the <c>Urls</c> setting, then <see cref="ServeHost.DefaultUrls"/>.</summary>
    public string? Urls { get; init; }

    /// <summary>The clock of the schedule, the worker and the checks; null: the system's.</summary>
    public TimeProvider? Time { get; init; }

    /// <summary>Settings over every other source (tests: a table prefix of their own, the peers' resolver).</summary>
    public IReadOnlyDictionary<string, string?>? Settings { get; init; }
}
