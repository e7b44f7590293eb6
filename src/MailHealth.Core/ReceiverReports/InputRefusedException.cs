namespace MailHealth.ReceiverReports;

/// <summary>An input reached one of the caps of <see cref="ReceiverReportSettings"/>: the message names the cap.</summary>
internal sealed class InputRefusedException(string message) : Exception(message);
