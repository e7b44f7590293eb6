namespace MailHealth.Monitor.ReceiverReports;

/// <summary>
/// What a process's <see cref="DmarcSenderNaming"/> has done since it started: how many namings
/// (one per committed report, one per target run), the distinct sources they were given, those
/// that were due and got their names, and the time the namings took, added up (namings that
/// overlap count each). <c>mailhealth reports import</c> and <c>reports poll</c> print them.
/// </summary>
/// <param name="Namings">Calls that had sources to name.</param>
/// <param name="Sources">Sources given to them.</param>
/// <param name="Due">Of those, the ones due for a name (never named, failed, or aged); the rest only had their seen days widened.</param>
/// <param name="Named">Of the due ones, those named in time (a name, or the finding that there is none); the others stay due.</param>
/// <param name="Failed">Namings that failed as a whole (a storage or lookup failure, logged); their sources stay due.</param>
/// <param name="Took">The time the namings took, added up.</param>
/// <param name="LookingUp">Of that, the time the namer took (DNS and SPF); the rest is storage (the names known, the names written).</param>
/// <param name="LastFailure">Why the last failed naming failed (its exception's message, as the log says it).</param>
public sealed record SenderNamingTotals(int Namings, long Sources, long Due, long Named, int Failed, TimeSpan Took, TimeSpan LookingUp, string? LastFailure);
