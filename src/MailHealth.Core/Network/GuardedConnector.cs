using System.Net;
using System.Net.Sockets;

namespace MailHealth.Network;

/// <summary>
/// The one way the monitor opens a TCP connection (SMTP probes, the MTA-STS and BIMI fetches,
/// webhooks, e-mail, and whatever comes later): the address is judged by the
/// <see cref="AddressPolicy"/> after name resolution, on the very address connected to, and a
/// refused one never gets a socket. Judging the resolved address, not the name, leaves no room
/// for DNS rebinding: no second lookup happens between the judgement and the connect.
/// </summary>
public static class GuardedConnector
{
    /// <summary>
    /// A connected socket to <paramref name="endpoint"/>; <see cref="AddressRefusedException"/>,
    /// before any socket is made, when the policy refuses its address.
    /// </summary>
    public static async Task<Socket> ConnectAsync(AddressPolicy policy, IPEndPoint endpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(endpoint);
        var verdict = policy.Judge(endpoint.Address);
        if (!verdict.Permitted)
        {
            throw new AddressRefusedException([verdict]);
        }

        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A connected socket to <paramref name="host"/>, trying its permitted addresses in the order
    /// <paramref name="resolve"/> gives them (an address literal is its own answer).
    /// <see cref="AddressRefusedException"/> when the policy refuses every address; the last
    /// connect error when none answered.
    /// </summary>
    public static async Task<Socket> ConnectAsync(
        AddressPolicy policy, string host, int port, Func<string, CancellationToken, Task<IPAddress[]>> resolve, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(resolve);
        var addresses = await resolve(host, cancellationToken).ConfigureAwait(false);
        var verdicts = addresses.Select(policy.Judge).ToList();
        if (verdicts.Count > 0 && verdicts.All(v => !v.Permitted))
        {
            throw new AddressRefusedException(verdicts);
        }

        Exception? last = null;
        foreach (var verdict in verdicts.Where(v => v.Permitted))
        {
            try
            {
                return await ConnectAsync(policy, new IPEndPoint(verdict.Address, port), cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException e)
            {
                last = e;
            }
        }

        throw last ?? new SocketException((int)SocketError.HostNotFound);
    }

    /// <summary>
    /// The system's resolver (an address literal is returned as it is), for connections to hosts
    /// the operator configured: webhooks, the e-mail server.
    /// </summary>
    public static Task<IPAddress[]> SystemResolveAsync(string host, CancellationToken cancellationToken) =>
        System.Net.Dns.GetHostAddressesAsync(host, cancellationToken);
}
