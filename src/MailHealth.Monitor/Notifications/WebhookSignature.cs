using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MailHealth.Monitor.Notifications;

/// <summary>
/// The generic webhook's signature header: <c>X-MailHealth-Signature: t=UNIX_SECONDS,v1=HEX</c>,
/// HEX the lowercase HMAC-SHA256 under the channel's secret of <c>"{t}." + body</c>. Signing the
/// time with the body lets a receiver reject a replayed request as too old (docs/notifications.md).
/// </summary>
public static class WebhookSignature
{
    public const string HeaderName = "X-MailHealth-Signature";

    /// <summary>The notification id, for de-duplication by the receiver (a retry carries the same one).</summary>
    public const string DeliveryHeaderName = "X-MailHealth-Delivery";

    public static string Create(string secret, long unixSeconds, ReadOnlySpan<byte> body)
    {
        var stamp = unixSeconds.ToString(CultureInfo.InvariantCulture);
        var prefix = Encoding.UTF8.GetBytes(stamp + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed);
        return $"t={stamp},v1={Convert.ToHexStringLower(mac)}";
    }
}
