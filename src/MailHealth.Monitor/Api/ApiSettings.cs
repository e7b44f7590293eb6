using MailHealth.Settings;

namespace MailHealth.Monitor.Api;

/// <summary>
/// The HTTP API's own settings (<c>MailHealth:Api</c>). The keys are <c>serve</c>'s: the Functions
/// host checks its own function and admin keys and never reads these. Several keys of each kind
/// are accepted so a key can be rotated without a gap (add the new one, move callers, remove the old).
/// </summary>
public sealed class ApiSettings
{
    public const string Section = "MailHealth:Api";

    /// <summary>Shortest key accepted: anything shorter is guessable.</summary>
    public const int MinimumKeyLength = 16;

    /// <summary>Keys that may read (function level). Admin keys may read too.</summary>
    public List<string> ReadKeys { get; set; } = [];

    /// <summary>Keys that may also write: targets, probes, acknowledgements.</summary>
    public List<string> AdminKeys { get; set; } = [];

    /// <summary>Largest request body accepted (a target definition). Default 64 KiB, 1 KiB-1 MiB.</summary>
    public int MaxBodyBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// How long a request waits for storage in all before it answers 503 with <c>Retry-After</c>:
    /// a caller is better told at once that storage is out than kept waiting. Default 10 s, 1 s-1 min.
    /// </summary>
    public TimeSpan StorageDeadline { get; set; } = TimeSpan.FromSeconds(10);

    public static void Validate(ApiSettings settings, SettingErrors errors)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(errors);
        errors.Range(nameof(MaxBodyBytes), settings.MaxBodyBytes, 1024, 1024 * 1024);
        errors.Range(nameof(StorageDeadline), settings.StorageDeadline, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        CheckKeys(nameof(ReadKeys), settings.ReadKeys, errors);
        CheckKeys(nameof(AdminKeys), settings.AdminKeys, errors);
        if (settings.ReadKeys.Intersect(settings.AdminKeys, StringComparer.Ordinal).Any())
        {
            errors.Add(nameof(ReadKeys), "a key is both a read key and an admin key");
        }
    }

    /// <summary>What is wrong for a host that checks the keys itself (<c>serve</c>): it needs at least an admin key.</summary>
    public static IReadOnlyList<string> KeyProblems(ApiSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.AdminKeys.Count == 0
            ? [$"{Section}:{nameof(AdminKeys)}: at least one admin key is required to serve the API (set {Section}:{nameof(AdminKeys)}:0, or the environment variable MailHealth__Api__AdminKeys__0, to a secret of {MinimumKeyLength} characters or more)"]
            : [];
    }

    private static void CheckKeys(string name, List<string> keys, SettingErrors errors)
    {
        for (var i = 0; i < keys.Count; i++)
        {
            // Never echo the key itself: the message ends up in logs.
            if (string.IsNullOrWhiteSpace(keys[i]) || keys[i].Length < MinimumKeyLength)
            {
                errors.Add($"{name}:{i}", $"is shorter than {MinimumKeyLength} characters");
            }
            else if (keys[i].Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
            {
                errors.Add($"{name}:{i}", "has spaces or control characters");
            }
        }
    }
}
