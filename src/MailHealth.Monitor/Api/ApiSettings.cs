using System.Globalization;
using MailHealth.Settings;

namespace MailHealth.Monitor.Api;

/// <summary>
/// The HTTP API's own settings (<c>MailHealth:Api</c>), the same in both hosts: the application
/// checks these keys itself (<see cref="ApiKeys"/>), in <c>serve</c> and in the Functions app, where
/// they are Key Vault references (docs/deploy.md). Several keys of each kind are accepted so a key
/// can be rotated without a gap (add the new one, move callers, remove the old). At least one admin
/// key is required: a host without one refuses to start, naming the setting.
/// </summary>
public sealed class ApiSettings
{
    public const string Section = "MailHealth:Api";

    /// <summary>Shortest key accepted: anything shorter is guessable.</summary>
    public const int MinimumKeyLength = 16;

    /// <summary>How an app setting's value that is a Key Vault reference begins (<c>@Microsoft.KeyVault(SecretUri=...)</c>).</summary>
    public const string KeyVaultReferencePrefix = "@Microsoft.KeyVault(";

    private const long MinimumReadCacheBytes = 1024 * 1024;
    private const long MaximumReadCacheBytes = 1024 * 1024 * 1024;

    /// <summary>Keys that may call the reading routes. Admin keys may read too.</summary>
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

    /// <summary>
    /// The budget of the API's in-process read cache (<see cref="ApiReadCache"/>): what reads found
    /// in storage, each kept at most one cycle. Default 32 MiB (the latest status of some 5,000
    /// targets with the pages around them); 0 turns it off; else 1 MiB-1 GiB.
    /// </summary>
    public long ReadCacheBytes { get; set; } = 32L * 1024 * 1024;

    public static void Validate(ApiSettings settings, SettingErrors errors)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(errors);
        errors.Range(nameof(MaxBodyBytes), settings.MaxBodyBytes, 1024, 1024 * 1024);
        errors.Range(nameof(StorageDeadline), settings.StorageDeadline, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        if (settings.ReadCacheBytes != 0 && settings.ReadCacheBytes is < MinimumReadCacheBytes or > MaximumReadCacheBytes)
        {
            errors.Add(nameof(ReadCacheBytes), string.Create(CultureInfo.InvariantCulture, $"{settings.ReadCacheBytes} is neither 0 (off) nor in {MinimumReadCacheBytes}-{MaximumReadCacheBytes}"));
        }
        CheckKeys(nameof(ReadKeys), settings.ReadKeys, errors);
        CheckKeys(nameof(AdminKeys), settings.AdminKeys, errors);
        if (settings.ReadKeys.Intersect(settings.AdminKeys, StringComparer.Ordinal).Any())
        {
            errors.Add(nameof(ReadKeys), "a key is both a read key and an admin key");
        }

        if (settings.AdminKeys.Count == 0)
        {
            errors.Add(nameof(AdminKeys), $"at least one admin key is required to serve the API (set {Section}:{nameof(AdminKeys)}:0, or the environment variable MailHealth__Api__AdminKeys__0, to a secret of {MinimumKeyLength} characters or more)");
        }
    }

    private static void CheckKeys(string name, List<string> keys, SettingErrors errors)
    {
        for (var i = 0; i < keys.Count; i++)
        {
            // Never echo the key itself: the message ends up in logs.
            if ((keys[i] ?? "").StartsWith(KeyVaultReferencePrefix, StringComparison.OrdinalIgnoreCase))
            {
                // The platform leaves a reference it could not resolve in place: taken as a key, its
                // well-formed, guessable text would open the API.
                errors.Add($"{name}:{i}", "is a Key Vault reference the platform could not resolve (does the secret exist, may the app's identity read it?)");
            }
            else if (string.IsNullOrWhiteSpace(keys[i]) || keys[i].Length < MinimumKeyLength)
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
