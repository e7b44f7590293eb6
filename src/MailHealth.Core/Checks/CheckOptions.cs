using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MailHealth.Network;
using MailHealth.Settings;

namespace MailHealth.Checks;

/// <summary>
/// Deadlines and trust for one run of checks, bound from <c>MailHealth:Checks</c>. Every default
/// and range is documented in docs/configuration.md and enforced by <see cref="Validate"/>.
/// </summary>
public sealed class CheckOptions
{
    public const string Section = "MailHealth:Checks";

    private AddressPolicy? _addressPolicy;

    /// <summary>TCP connect, per address. Default 10 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Waiting for the 220 greeting after connect. Default 30 s (RFC 5321 section 4.5.3.2.1 suggests 5 minutes; a monitor needs an answer).</summary>
    public TimeSpan GreetingTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A greeting later than this is SMTP_GREETING_SLOW. Default 5 s.</summary>
    public TimeSpan GreetingSlowThreshold { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Each command's reply (EHLO, STARTTLS, AUTH, MAIL, RCPT). Default 15 s.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>The TLS handshake. Default 15 s.</summary>
    public TimeSpan TlsTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>One whole probe of one host and port, whatever the server does. Default 60 s.</summary>
    public TimeSpan ProbeDeadline { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>A whole run of one target. Default 3 minutes.</summary>
    public TimeSpan RunDeadline { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>Fetching the MTA-STS policy over HTTPS, from connect to the last byte. Default 30 s (RFC 8461 section 3.3 suggests at most one minute).</summary>
    public TimeSpan MtaStsPolicyTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How many checks and probes of one target run at once. Default 8.</summary>
    public int MaxConcurrency { get; init; } = 8;

    /// <summary>
    /// How long a finished SMTP probe of a host and port is shared with the other targets whose
    /// mail goes there (<see cref="Smtp.SharedProbes"/>). Default 1 min; zero: every target
    /// probes on its own. Keep it below the schedule's interval, so each cycle probes afresh.
    /// </summary>
    public TimeSpan ShareProbesFor { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Name the probe gives in EHLO. Default: "mailhealth.invalid" is avoided; the machine name is used when null.</summary>
    public string? HeloName { get; init; }

    /// <summary>Reverse-path for the opt-in relay test.</summary>
    public string ProbeSender { get; init; } = "mailhealth-probe@example.com";

    /// <summary>Recipient in a foreign domain for the opt-in relay test (RFC 2606 reserved, never delivered).</summary>
    public string RelayTestRecipient { get; init; } = "relay-test@example.net";

    /// <summary>Roots trusted besides the system store (<c>--ca-file</c>; loaded from <see cref="TrustRootsFile"/>).</summary>
    public X509Certificate2Collection ExtraTrustRoots { get; init; } = [];

    /// <summary>A PEM file of extra trusted roots, for SMTP, the MTA-STS policy host and the BIMI logo host. Default none.</summary>
    public string? TrustRootsFile { get; init; }

    /// <summary>Certificates expiring within this many days are critical. Default 7.</summary>
    public int CertificateCriticalDays { get; init; } = 7;

    /// <summary>Certificates expiring within this many days are a warning. Default 21.</summary>
    public int CertificateWarningDays { get; init; } = 21;

    /// <summary>
    /// Special-purpose networks (CIDR) the monitor may connect to: loopback, private-use, carrier-grade
    /// NAT, unique-local and the other ranges the address policy refuses by default. Default none;
    /// the never ranges (link-local, the cloud metadata and platform addresses, multicast) cannot be
    /// allowed (docs/address-policy.md). Webhooks and e-mail pass the same policy.
    /// </summary>
    public IList<string> AllowedNetworks { get; init; } = [];

    /// <summary>The address policy of <see cref="AllowedNetworks"/>, built on first use (after validation).</summary>
    public AddressPolicy AddressPolicy => _addressPolicy ??= AddressPolicy.Parse(AllowedNetworks);

    /// <summary>What is wrong with these settings, each named by its path under <see cref="Section"/>.</summary>
    public static void Validate(CheckOptions options, SettingErrors errors)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(errors);
        var second = TimeSpan.FromSeconds(1);
        var tenMinutes = TimeSpan.FromMinutes(10);
        errors.Range(nameof(ConnectTimeout), options.ConnectTimeout, TimeSpan.FromMilliseconds(100), tenMinutes);
        errors.Range(nameof(GreetingTimeout), options.GreetingTimeout, TimeSpan.FromMilliseconds(100), tenMinutes);
        errors.Range(nameof(GreetingSlowThreshold), options.GreetingSlowThreshold, TimeSpan.Zero, tenMinutes);
        errors.Range(nameof(CommandTimeout), options.CommandTimeout, TimeSpan.FromMilliseconds(100), tenMinutes);
        errors.Range(nameof(TlsTimeout), options.TlsTimeout, TimeSpan.FromMilliseconds(100), tenMinutes);
        errors.Range(nameof(ProbeDeadline), options.ProbeDeadline, second, tenMinutes);
        errors.Range(nameof(RunDeadline), options.RunDeadline, second, TimeSpan.FromHours(1));
        errors.Range(nameof(MtaStsPolicyTimeout), options.MtaStsPolicyTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(5));
        errors.Range(nameof(MaxConcurrency), options.MaxConcurrency, 1, 1024);
        errors.Range(nameof(ShareProbesFor), options.ShareProbesFor, TimeSpan.Zero, tenMinutes);
        errors.Range(nameof(CertificateCriticalDays), options.CertificateCriticalDays, 0, 365);
        errors.Range(nameof(CertificateWarningDays), options.CertificateWarningDays, 0, 365);
        if (options.CertificateWarningDays < options.CertificateCriticalDays)
        {
            errors.Add(nameof(CertificateWarningDays), $"{options.CertificateWarningDays} is less than CertificateCriticalDays ({options.CertificateCriticalDays})");
        }

        for (var i = 0; i < options.AllowedNetworks.Count; i++)
        {
            if (AddressPolicy.NetworkProblem(options.AllowedNetworks[i], out _) is { } networkProblem)
            {
                errors.Add($"{nameof(AllowedNetworks)}:{i}", $"'{options.AllowedNetworks[i]}' {networkProblem}");
            }
        }

        if (options.TrustRootsFile is { } file && LoadRootsProblem(file, new X509Certificate2Collection()) is { } problem)
        {
            errors.Add(nameof(TrustRootsFile), problem);
        }
    }

    /// <summary>Adds the certificates of a PEM file to <paramref name="roots"/>; the problem as one line, or null.</summary>
    public static string? LoadRootsProblem(string path, X509Certificate2Collection roots)
    {
        ArgumentNullException.ThrowIfNull(roots);
        var before = roots.Count;
        try
        {
            roots.ImportFromPemFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            return $"cannot read certificates from '{path}': {e.Message}";
        }

        return roots.Count == before ? $"'{path}' holds no PEM certificate" : null;
    }
}
