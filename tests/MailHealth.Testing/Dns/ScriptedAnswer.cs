namespace MailHealth.Testing.Dns;

/// <summary>
/// What a <see cref="ScriptedZone"/> says to one question: an RCODE with the records to send
/// (the CNAME chain first), or a <see cref="DnsFault"/> to play instead.
/// </summary>
internal sealed record ScriptedAnswer(int Rcode, IReadOnlyList<(string Owner, ScriptedRecord Record)> Records, DnsFault? Fault = null);
