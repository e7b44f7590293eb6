namespace MailHealth.Network;

/// <summary>What the address policy does with the addresses of a range (docs/address-policy.md).</summary>
public enum AddressRule
{
    /// <summary>An internet address: the monitor connects to it.</summary>
    Public,

    /// <summary>
    /// A special-purpose address (private-use, loopback, shared, documentation, reserved...): refused
    /// unless <c>MailHealth:Checks:AllowedNetworks</c> names a network holding it.
    /// </summary>
    Refused,

    /// <summary>
    /// Never connected to, whatever the settings say: link-local (the cloud metadata services live
    /// there), the cloud platforms' own addresses, unspecified, multicast and broadcast.
    /// </summary>
    Never,
}
