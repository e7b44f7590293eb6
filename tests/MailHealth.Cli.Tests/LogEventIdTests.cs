using System.Reflection;
using Microsoft.Extensions.Logging;

namespace MailHealth.Cli.Tests;

/// <summary>
/// Every log message of the product has an event id of its own, across the assemblies serve runs:
/// an operator filters and alerts on the id (docs/operations.md), and two messages sharing one
/// would be told apart only by their category.
/// </summary>
public sealed class LogEventIdTests
{
    [Fact]
    public void EveryLogMessage_HasAnEventIdOfItsOwn()
    {
        Assembly[] assemblies =
        [
            typeof(MailHealth.Checks.CheckResult).Assembly,
            typeof(MailHealth.Storage.Configuration.StorageAccount).Assembly,
            typeof(MailHealth.Monitor.MonitorSettings).Assembly,
            typeof(ExitCodes).Assembly,
        ];
        var messages = assemblies
            .SelectMany(a => a.GetTypes())
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Select(m => (Method: $"{m.DeclaringType!.FullName}.{m.Name}", Attribute: m.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(m => m.Attribute is not null)
            .ToList();

        var shared = messages.GroupBy(m => m.Attribute!.EventId).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(m => m.Method))}").ToList();

        Assert.True(messages.Count > 40, $"only {messages.Count} log messages found");
        Assert.Empty(shared);
    }
}
