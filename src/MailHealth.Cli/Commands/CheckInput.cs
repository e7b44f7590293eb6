namespace MailHealth.Cli.Commands;

/// <summary>What the user typed on <c>mailhealth check</c>, before validation.</summary>
public sealed record CheckInput(
    IReadOnlyList<string> Domains,
    string? TargetsFile,
    int? Concurrency,
    IReadOnlyList<string> Hosts,
    string? Ports,
    IReadOnlyList<string> DkimSelectors,
    string? BimiSelector,
    IReadOnlyList<string> SendingIps,
    string? Checks,
    IReadOnlyList<string> Dns,
    IReadOnlyList<string>? Dnsbl,
    string? CaFile,
    bool RelayTest,
    int TimeoutSeconds,
    IReadOnlyList<string> AllowedNetworks);
