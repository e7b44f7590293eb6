using MailHealth.Memory;
using Microsoft.Extensions.Logging;

namespace MailHealth.Monitor.Dkim;

/// <summary>The DKIM sweep's log events; ids are stable (2700-2799).</summary>
internal static partial class DkimSweepLog
{
    [LoggerMessage(EventId = 2700, Level = LogLevel.Information, Message = "DKIM selectors of target {TargetId} ({Domain}) swept: {Outcome}, {Found} found, {Questions} question(s)")]
    public static partial void Swept(ILogger logger, string targetId, string domain, DkimSweepOutcome outcome, int found, int questions);

    [LoggerMessage(EventId = 2701, Level = LogLevel.Information, Message = "Daily DKIM selector sweep: {Swept} target(s) swept, {Found} with selectors, {Unanswered} unanswered, {Questions} question(s)")]
    public static partial void SweptDue(ILogger logger, int swept, int found, int unanswered, int questions);
}
