using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MailHealth.Testing.Http;

/// <summary>
/// What a receiver of MailHealth's generic webhook does (the recipe in docs/notifications.md),
/// written apart from the product's signing code so that the tests check the contract, not the
/// code against itself: parse <c>t=...,v1=...</c>, recompute HMAC-SHA256(secret, "t." + body),
/// compare in constant time, and refuse a time outside the tolerance (a replay).
/// </summary>
public static class SignatureVerifier
{
    public static bool Verify(string secret, string? header, byte[] body, DateTimeOffset now, TimeSpan tolerance)
    {
        if (header is null)
        {
            return false;
        }

        string? stamp = null;
        var candidates = new List<string>();
        foreach (var part in header.Split(','))
        {
            var pair = part.Split('=', 2);
            if (pair.Length != 2)
            {
                return false;
            }

            if (pair[0].Trim() == "t")
            {
                stamp = pair[1].Trim();
            }
            else if (pair[0].Trim() == "v1")
            {
                candidates.Add(pair[1].Trim());
            }
        }

        if (stamp is null || !long.TryParse(stamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return false;
        }

        if ((now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > tolerance)
        {
            return false;
        }

        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(secret));
        var signed = Encoding.UTF8.GetBytes(stamp + ".").Concat(body).ToArray();
        var expected = Encoding.ASCII.GetBytes(Convert.ToHexString(hmac.ComputeHash(signed)).ToLowerInvariant());
        return candidates.Any(c => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(c), expected));
    }
}
