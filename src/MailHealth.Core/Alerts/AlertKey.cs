using System.Security.Cryptography;
using System.Text;

namespace MailHealth.Alerts;

/// <summary>
/// What an alert is about: one finding code on one subject of one target (docs/alerts.md).
/// <see cref="Id"/> is derived, so the same finding always lands on the same alert, and it is safe
/// in a storage key and a URL (no '/', '\', '#', '?', quotes or control characters).
/// </summary>
public readonly record struct AlertKey(string TargetId, string Code, string Subject)
{
    /// <summary><c>{targetId}.{code}.{16 hex of SHA-256(subject)}</c>: readable, stable, bounded in length.</summary>
    public string Id
    {
        get
        {
            var hash = SHA256.HashData(Encoding.UTF8.GetBytes(Subject));
            return $"{TargetId}.{Code}.{Convert.ToHexStringLower(hash, 0, 8)}";
        }
    }
}
