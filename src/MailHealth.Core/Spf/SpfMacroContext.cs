using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace MailHealth.Spf;

/// <summary>
/// The values behind the macro letters of RFC 7208 section 7.2 for one check_host() call.
/// <c>p</c> needs DNS, so it is fetched (once) through <see cref="ValidatedName"/>.
/// </summary>
public sealed class SpfMacroContext
{
    private string? _validated;

    public required IPAddress Ip { get; init; }

    /// <summary>The &lt;sender&gt; (local-part@domain; postmaster@HELO for a null reverse-path).</summary>
    public required string Sender { get; init; }

    /// <summary>The domain being checked (changes with include and redirect).</summary>
    public required string Domain { get; init; }

    public required string Helo { get; init; }

    /// <summary>The receiving host's name for %{r}; "unknown" when not told (RFC 7208 section 7.2).</summary>
    public string Receiver { get; init; } = "unknown";

    public required DateTimeOffset Now { get; init; }

    /// <summary>Finds the validated name of the IP for %{p} (RFC 7208 section 7.2 and 5.5).</summary>
    public required Func<CancellationToken, Task<string>> ValidatedName { get; init; }

    public string LocalPart => Sender[..Sender.LastIndexOf('@')];

    public string SenderDomain => Sender[(Sender.LastIndexOf('@') + 1)..];

    public SpfMacroContext ForDomain(string domain) => new()
    {
        Ip = Ip,
        Sender = Sender,
        Domain = domain,
        Helo = Helo,
        Receiver = Receiver,
        Now = Now,
        ValidatedName = ValidatedName,
        _validated = _validated,
    };

    public async ValueTask<string> ValueOfAsync(char letter, CancellationToken cancellationToken) => letter switch
    {
        's' => Sender,
        'l' => LocalPart,
        'o' => SenderDomain,
        'd' => Domain,
        'i' => DottedIp(Ip),
        'p' => _validated ??= await ValidatedName(cancellationToken).ConfigureAwait(false),
        'v' => Ip.AddressFamily == AddressFamily.InterNetworkV6 ? "ip6" : "in-addr",
        'h' => Helo,
        'c' => Ip.ToString(),
        'r' => Receiver,
        't' => Now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
        _ => "",
    };

    /// <summary>%{i}: dotted quad for IPv4, dot-separated nibbles for IPv6 (RFC 7208 section 7.3).</summary>
    public static string DottedIp(IPAddress ip)
    {
        if (ip.AddressFamily == AddressFamily.InterNetwork)
        {
            return ip.ToString();
        }

        var hex = Convert.ToHexStringLower(ip.GetAddressBytes());
        return string.Join('.', hex.ToCharArray());
    }
}
