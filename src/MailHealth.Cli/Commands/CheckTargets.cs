using MailHealth.Targets;

namespace MailHealth.Cli.Commands;

/// <summary>
/// The targets of <c>mailhealth check</c>: one per DOMAIN argument (with the per-target options),
/// then those of <c>--targets FILE</c>, each with the submission credentials of the environment.
/// </summary>
public static class CheckTargets
{
    /// <summary>The options of one target, by their name in a target definition, for messages.</summary>
    private static readonly Dictionary<string, string> OptionOfField = new(StringComparer.Ordinal)
    {
        ["hosts"] = "--host",
        ["ports"] = "--ports",
        ["dkimSelectors"] = "--dkim-selector",
        ["bimiSelector"] = "--bimi-selector",
        ["sendingIps"] = "--sending-ip",
        ["dnsbl"] = "--dnsbl",
        ["checks"] = "--checks",
    };

    public static async Task<IReadOnlyList<Target>> ReadAsync(CheckInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Domains.Count == 0 && input.TargetsFile is null)
        {
            throw new UsageException("give one or more domains, or --targets FILE");
        }

        var perTargetGiven = input.Hosts.Count > 0 || input.Ports is not null || input.DkimSelectors.Count > 0 || input.BimiSelector is not null
            || input.SendingIps.Count > 0 || input.Dnsbl is { Count: > 0 } || input.RelayTest || input.Checks is not null;
        if (input.Domains.Count == 0 && perTargetGiven)
        {
            throw new UsageException("--host, --ports, --dkim-selector, --bimi-selector, --sending-ip, --dnsbl, --checks and --relay-test apply to DOMAIN arguments; in --targets FILE each target carries its own");
        }

        var targets = new List<Target>();
        foreach (var domain in input.Domains)
        {
            targets.Add(FromOptions(domain, input));
        }

        if (input.TargetsFile is { } path)
        {
            targets.AddRange(await ReadFileAsync(path, cancellationToken).ConfigureAwait(false));
        }

        var credentials = CredentialsFromEnvironment();
        var duplicate = targets.GroupBy(t => t.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new UsageException($"the target id '{duplicate.Key}' is given twice");
        }

        return [.. targets.Select(t => t with { Credentials = credentials })];
    }

    private static async Task<IReadOnlyList<Target>> ReadFileAsync(string path, CancellationToken cancellationToken)
    {
        string json;
        try
        {
            json = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--targets: cannot read '{path}': {e.Message}");
        }

        var list = TargetList.Parse(json);
        if (!list.IsValid)
        {
            throw new UsageException($"--targets {path}: " + string.Join("; ", list.Errors.Take(5)) + (list.Errors.Count > 5 ? $"; and {list.Errors.Count - 5} more" : ""));
        }

        return list.Targets;
    }

    private static Target FromOptions(string domain, CheckInput input)
    {
        var definition = new TargetDefinition
        {
            Domain = domain,
            Hosts = [.. input.Hosts],
            Ports = input.Ports is null ? null : [.. input.Ports.Split(',', StringSplitOptions.TrimEntries)],
            DkimSelectors = [.. input.DkimSelectors],
            BimiSelector = input.BimiSelector,
            SendingIps = [.. input.SendingIps],
            Dnsbl = input.Dnsbl is { Count: > 0 } zones ? [.. zones] : null,
            RelayTest = input.RelayTest,
            Checks = input.Checks is null ? null : [.. input.Checks.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)],
        };
        var validation = TargetValidator.Validate(definition);
        if (validation.Target is { } target)
        {
            return target;
        }

        var first = validation.Errors[0];
        throw new UsageException(OptionOfField.TryGetValue(first.Field, out var option) ? $"{option}: {first.Message}" : first.Message);
    }

    private static SmtpCredentials? CredentialsFromEnvironment()
    {
        var user = Environment.GetEnvironmentVariable(CheckCommand.UserNameVariable);
        var password = Environment.GetEnvironmentVariable(CheckCommand.PasswordVariable);
        return string.IsNullOrEmpty(user) || password is null ? null : new SmtpCredentials(user, password);
    }
}
