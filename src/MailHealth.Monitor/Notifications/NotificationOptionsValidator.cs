using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MailHealth.Checks;
using MailHealth.Network;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using MimeKit;

namespace MailHealth.Monitor.Notifications;

/// <summary>
/// Checks <see cref="NotificationOptions"/> at start-up. Every message names the setting's full
/// path ("MailHealth:Notifications:Channels:ops:Url: not an absolute http(s) URL") and never
/// quotes a secret's value (a URL, key or password).
/// </summary>
public sealed class NotificationOptionsValidator : IValidateOptions<NotificationOptions>
{
    private readonly IConfiguration? _section;
    private readonly AddressPolicy _addressPolicy;

    public NotificationOptionsValidator()
        : this(null, AddressPolicy.PublicOnly)
    {
    }

    /// <param name="section">The <c>MailHealth:Notifications</c> section the options were bound from: the binder drops a
    /// channel whose value it cannot convert (an unknown Type, a Port of "abc") without a word, so the
    /// validator compares the configured channel names with the bound ones.</param>
    /// <param name="addressPolicy">Where the monitor may connect: a receiver or server given as an address it refuses cannot work.</param>
    public NotificationOptionsValidator(IConfiguration? section, AddressPolicy addressPolicy)
    {
        _section = section;
        _addressPolicy = addressPolicy;
    }

    private static readonly TimeSpan MinTimeout = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan MinBackoff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxBackoffLimit = TimeSpan.FromDays(1);

    /// <summary>A signing key shorter than this is too easy to guess.</summary>
    public const int MinSecretLength = 16;

    public ValidateOptionsResult Validate(string? name, NotificationOptions options)
    {
        var errors = new List<string>();
        foreach (var configured in _section?.GetSection("Channels").GetChildren() ?? [])
        {
            if (!options.Channels.ContainsKey(configured.Key))
            {
                errors.Add(Unreadable(configured));
            }
        }

        foreach (var (channelName, channel) in options.Channels.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            ValidateChannel(channelName, channel, errors);
        }

        ValidateRetry(options.Retry, errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>Letters, digits, '-' and '_': the name goes into a notification, a storage key and a log line.</summary>
    public static bool IsValidChannelName(string name) =>
        name.Length is > 0 and <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private static string Unreadable(IConfigurationSection channel)
    {
        var path = $"{NotificationOptions.SectionPath}:Channels:{channel.Key}";
        var type = channel["Type"];
        if (type is not null && (!Enum.TryParse<ChannelType>(type, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed)))
        {
            return $"{path}:Type: not one of webhook, slack, teams, email";
        }

        return $"{path}: a value cannot be read (check Port, Timeout, Security, MinimumSeverity, Events)";
    }

    private void ValidateChannel(string name, ChannelOptions channel, List<string> errors)
    {
        var path = $"{NotificationOptions.SectionPath}:Channels:{name}";
        if (!IsValidChannelName(name))
        {
            errors.Add($"{path}: a channel name has 1-64 letters, digits, '-' or '_'");
            return;
        }

        if (!Enum.IsDefined(channel.Type))
        {
            errors.Add($"{path}:Type: not one of webhook, slack, teams, email");
            return;
        }

        if (channel.Timeout < MinTimeout || channel.Timeout > MaxTimeout)
        {
            errors.Add($"{path}:Timeout: {channel.Timeout} is not in 00:00:01-00:10:00");
        }

        if (!Enum.IsDefined(channel.MinimumSeverity))
        {
            errors.Add($"{path}:MinimumSeverity: not one of info, warning, critical");
        }

        for (var i = 0; i < channel.Tags.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(channel.Tags[i]))
            {
                errors.Add($"{path}:Tags:{i}: empty tag");
            }
        }

        if (channel.Type == ChannelType.Email)
        {
            ValidateEmail(path, channel, errors);
            return;
        }

        if (!Uri.TryCreate(channel.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            errors.Add($"{path}:Url: not an absolute http(s) URL");
        }
        else
        {
            ValidateReceiver($"{path}:Url", url, errors);
        }

        if (channel.Type == ChannelType.Webhook && (channel.Secret is null || channel.Secret.Length < MinSecretLength))
        {
            errors.Add($"{path}:Secret: the signing key is missing or shorter than {MinSecretLength} characters");
        }
    }

    private void ValidateEmail(string path, ChannelOptions channel, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(channel.Host) || Uri.CheckHostName(channel.Host) == UriHostNameType.Unknown)
        {
            errors.Add($"{path}:Host: missing or not a host name or address");
        }
        else if (Refusal(channel.Host) is { } refusal)
        {
            errors.Add($"{path}:Host: {refusal}");
        }

        if (channel.Port is < 1 or > 65535)
        {
            errors.Add($"{path}:Port: {channel.Port} is not in 1-65535");
        }

        if (!Enum.IsDefined(channel.Security))
        {
            errors.Add($"{path}:Security: not one of Auto, StartTls, SslOnConnect");
        }

        if (string.IsNullOrEmpty(channel.UserName))
        {
            errors.Add($"{path}:UserName: missing (submission needs AUTH)");
        }

        if (string.IsNullOrEmpty(channel.Password))
        {
            errors.Add($"{path}:Password: missing (submission needs AUTH)");
        }

        if (channel.From is null || !MailboxAddress.TryParse(channel.From, out _))
        {
            errors.Add($"{path}:From: missing or not an e-mail address");
        }

        if (channel.To.Count == 0)
        {
            errors.Add($"{path}:To: at least one recipient is needed");
        }

        for (var i = 0; i < channel.To.Count; i++)
        {
            if (!MailboxAddress.TryParse(channel.To[i], out _))
            {
                errors.Add($"{path}:To:{i}: not an e-mail address");
            }
        }

        if (channel.CaFile is { Length: > 0 } caFile)
        {
            try
            {
                var roots = new X509Certificate2Collection();
                roots.ImportFromPemFile(caFile);
                if (roots.Count == 0)
                {
                    errors.Add($"{path}:CaFile: no certificate in {caFile}");
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
            {
                errors.Add($"{path}:CaFile: cannot read certificates from {caFile} ({e.GetType().Name})");
            }
        }
    }

    private static void ValidateRetry(NotificationRetryOptions retry, List<string> errors)
    {
        var path = $"{NotificationOptions.SectionPath}:Retry";
        if (retry.MaxAttempts is < 1 or > 100)
        {
            errors.Add($"{path}:MaxAttempts: {retry.MaxAttempts} is not in 1-100");
        }

        if (retry.InitialBackoff < MinBackoff || retry.InitialBackoff > MaxBackoffLimit)
        {
            errors.Add($"{path}:InitialBackoff: {retry.InitialBackoff} is not in 00:00:01-1.00:00:00");
        }

        if (retry.MaxBackoff < retry.InitialBackoff || retry.MaxBackoff > MaxBackoffLimit)
        {
            errors.Add($"{path}:MaxBackoff: {retry.MaxBackoff} is not in InitialBackoff-1.00:00:00");
        }
    }

    /// <summary>
    /// A webhook URL is https, except to a loopback receiver the address policy allows (the tests,
    /// the demo); a receiver given as an address the policy refuses cannot work. Neither message
    /// quotes the URL (a secret for Slack and Teams).
    /// </summary>
    private void ValidateReceiver(string path, Uri url, List<string> errors)
    {
        if (url.Scheme == Uri.UriSchemeHttp && !url.IsLoopback)
        {
            errors.Add($"{path}: plain http is only for a loopback receiver (127.0.0.1, [::1], localhost); use https");
        }
        else if (url.Scheme == Uri.UriSchemeHttp && url.HostNameType == UriHostNameType.Dns
            && !_addressPolicy.Judge(IPAddress.Loopback).Permitted && !_addressPolicy.Judge(IPAddress.IPv6Loopback).Permitted)
        {
            errors.Add($"{path}: plain http to a loopback receiver needs loopback allowed ({CheckOptions.Section}:{nameof(CheckOptions.AllowedNetworks)}); use https");
        }
        else if (Refusal(url.DnsSafeHost) is { } refusal)
        {
            errors.Add($"{path}: {refusal}");
        }
    }

    /// <summary>Why the policy refuses <paramref name="host"/> when it is an address; null for a name (judged when resolved) or a permitted address.</summary>
    private string? Refusal(string host) =>
        IPAddress.TryParse(host, out var address) && _addressPolicy.Judge(address) is { Permitted: false } verdict
            ? $"the host is {verdict.RangeRefusal}"
            : null;
}
