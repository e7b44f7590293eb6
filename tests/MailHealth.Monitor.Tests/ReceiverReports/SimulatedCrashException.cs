namespace MailHealth.Monitor.Tests.ReceiverReports;

/// <summary>Thrown by a test's fault hook where a crash would stop the process.</summary>
internal sealed class SimulatedCrashException(string step) : Exception($"the process stops at '{step}'");
