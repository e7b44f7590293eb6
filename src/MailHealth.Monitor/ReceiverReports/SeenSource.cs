namespace MailHealth.Monitor.ReceiverReports;

/// <summary>A source address that committed aggregate reports of a domain showed, from <paramref name="FirstSeen"/> to <paramref name="LastSeen"/>.</summary>
public sealed record SeenSource(string Ip, DateOnly FirstSeen, DateOnly LastSeen);
