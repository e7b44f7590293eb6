using System.Net;

namespace MailHealth.Spf;

/// <summary>The inputs of check_host() for one SMTP connection (RFC 7208 section 4.1).</summary>
/// <param name="Ip">The SMTP client's address.</param>
/// <param name="Sender">The MAIL FROM address; empty for the null reverse-path (then postmaster@HELO, section 2.4).</param>
/// <param name="Helo">The HELO/EHLO name.</param>
/// <param name="Receiver">The receiving host's name for %{r} in explanations; "unknown" when null.</param>
public sealed record SpfRequest(IPAddress Ip, string Sender, string Helo, string? Receiver = null);
