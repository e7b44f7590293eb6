using MailHealth.Testing.Dns;

namespace MailHealth.Testing.Spf;

/// <summary>One scenario of the RFC 7208 test suite.</summary>
public sealed record SpfSuiteScenario(
    string Id, string Section, string Helo, string Host, string MailFrom, IReadOnlyList<string> Results, string? Explanation, ScriptedZone Zone);
