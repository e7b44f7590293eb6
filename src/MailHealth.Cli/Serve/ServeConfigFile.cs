using System.Text.Json;
using System.Text.Json.Nodes;
using MailHealth.Targets;
using Microsoft.Extensions.Configuration;

namespace MailHealth.Cli.Serve;

/// <summary>
/// The <c>--config</c> file: one JSON object with a <c>targets</c> array (the target objects of
/// <c>check --targets</c> and the HTTP API) and any settings (<c>"MailHealth": { ... }</c>,
/// <c>"MAILHEALTH_SCHEDULE"</c>). Every mistake is reported with its path, such as
/// <c>targets[2].ports[0]: ...</c>, and nothing starts.
/// </summary>
public sealed record ServeConfigFile(string Path, IReadOnlyList<Target> Targets)
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>
    /// The settings a command reads with <paramref name="file"/>: the file's (none without one),
    /// then the environment's over them (<c>MailHealth__Notifications__Channels__mail__Password</c>:
    /// secrets need not be in the file).
    /// </summary>
    public static IConfigurationBuilder AddSettings(IConfigurationBuilder configuration, ServeConfigFile? file)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (file is not null)
        {
            configuration.AddJsonFile(System.IO.Path.GetFullPath(file.Path), optional: false, reloadOnChange: false);
        }

        return configuration.AddEnvironmentVariables();
    }

    /// <summary>Reads and validates the file; <see cref="UsageException"/> with one line per problem.</summary>
    public static async Task<ServeConfigFile> ReadAsync(string path, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--config: cannot read '{path}': {e.Message}");
        }

        JsonNode? root;
        try
        {
            root = JsonNode.Parse(text, documentOptions: DocumentOptions);
        }
        catch (JsonException e)
        {
            throw new UsageException($"{path}: not JSON: {e.Message}");
        }

        if (root is not JsonObject document)
        {
            throw new UsageException($"{path}: must be a JSON object with \"targets\" and settings");
        }

        if (!document.TryGetPropertyValue("targets", out var targets) || targets is null)
        {
            return new ServeConfigFile(path, []);
        }

        // TargetList reads exactly { "targets": [...] }; the settings beside it are the configuration's.
        var list = TargetList.Parse(new JsonObject { ["targets"] = targets.DeepClone() }.ToJsonString());
        if (!list.IsValid)
        {
            throw new UsageException(string.Join('\n', list.Errors.Select(error => $"{path}: {error}")));
        }

        return new ServeConfigFile(path, list.Targets);
    }
}
