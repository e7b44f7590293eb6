using System.Net;
using System.Net.Sockets;
using MailHealth.Network;

namespace MailHealth.Monitor.Notifications;

/// <summary>
/// How the webhooks' HttpClient connects: through the address policy (docs/address-policy.md), on
/// the addresses the system's resolver gives for the URL's host. Plain http goes only to a
/// loopback address (a receiver on the same machine, as in the tests and the demo): a signed body
/// or a Slack URL never crosses a network in clear.
/// </summary>
internal static class WebhookConnector
{
    public static SocketsHttpHandler Handler(AddressPolicy policy) => new()
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        // A proxy would be what the policy judges, not the receiver.
        UseProxy = false,
        ConnectCallback = async (context, cancellationToken) =>
        {
            var plain = string.Equals(context.InitialRequestMessage.RequestUri?.Scheme, Uri.UriSchemeHttp, StringComparison.OrdinalIgnoreCase);
            var socket = await GuardedConnector.ConnectAsync(
                policy, context.DnsEndPoint.Host, context.DnsEndPoint.Port, plain ? ResolveLoopbackAsync : GuardedConnector.SystemResolveAsync, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        },
    };

    /// <summary>The host's loopback addresses only: what plain http may reach.</summary>
    private static async Task<IPAddress[]> ResolveLoopbackAsync(string host, CancellationToken cancellationToken) =>
        [.. (await GuardedConnector.SystemResolveAsync(host, cancellationToken)).Where(IPAddress.IsLoopback)];
}
