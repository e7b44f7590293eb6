namespace MailHealth.Network;

/// <summary>
/// The address policy refused every address a connection could go to; thrown before any socket
/// exists. Its message names the addresses and their ranges, never a URL (a webhook's is a secret).
/// </summary>
public sealed class AddressRefusedException(IReadOnlyList<AddressVerdict> verdicts)
    : Exception("not connected: " + string.Join("; ", verdicts.Select(v => v.Refusal)))
{
    /// <summary>Each refused address with why.</summary>
    public IReadOnlyList<AddressVerdict> Verdicts { get; } = verdicts;

    /// <summary>The refusal in <paramref name="exception"/> or its inner exceptions (an HTTP handler wraps its connect callback's).</summary>
    public static AddressRefusedException? Find(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is AddressRefusedException refused)
            {
                return refused;
            }
        }

        return null;
    }
}
