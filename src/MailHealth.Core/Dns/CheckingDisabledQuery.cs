using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using DnsClient;

namespace MailHealth.Dns;

/// <summary>
/// One question with the CD (checking disabled) bit set (RFC 4035 section 3.2.2): a validating
/// resolver then answers without validating. A SERVFAIL that becomes an answer with CD set means
/// the DNSSEC chain is broken (bogus), not the name servers. DnsClient cannot set CD, so this
/// sends the few bytes itself; only the response code is read.
/// </summary>
public static class CheckingDisabledQuery
{
    private const ushort RecursionDesired = 0x0100;
    private const ushort CheckingDisabled = 0x0010;

    /// <summary>The response code from the first of the resolver's servers that answers, or null when none answers in time.</summary>
    public static async Task<DnsHeaderResponseCode?> AskAsync(DnsResolver dns, string name, QueryType type, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dns);
        var servers = dns.Options.Servers.Count > 0
            ? dns.Options.Servers
            : [.. NameServer.ResolveNameServers(skipIPv6SiteLocal: true, fallbackToGooglePublicDns: false).Select(s => new IPEndPoint(IPAddress.Parse(s.Address), s.Port))];
        foreach (var server in servers)
        {
            if (await AskOneAsync(server, name, type, dns.Options.Timeout, cancellationToken).ConfigureAwait(false) is { } code)
            {
                return code;
            }
        }

        return null;
    }

    private static async Task<DnsHeaderResponseCode?> AskOneAsync(IPEndPoint server, string name, QueryType type, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var id = (ushort)RandomNumberGenerator.GetInt32(ushort.MaxValue + 1);
        using var udp = new UdpClient(server.AddressFamily);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await udp.SendAsync(Question(id, name, type), server, deadline.Token).ConfigureAwait(false);
            while (true)
            {
                var reply = await udp.ReceiveAsync(deadline.Token).ConfigureAwait(false);
                var data = reply.Buffer;
                if (data.Length >= 12 && BinaryPrimitives.ReadUInt16BigEndian(data) == id && reply.RemoteEndPoint.Equals(server))
                {
                    return (DnsHeaderResponseCode)(data[3] & 0x0F);
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        catch (SocketException)
        {
            return null;
        }
    }

    private static byte[] Question(ushort id, string name, QueryType type)
    {
        var packet = new List<byte>(64);
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt16BigEndian(header, id);
        BinaryPrimitives.WriteUInt16BigEndian(header[2..], RecursionDesired | CheckingDisabled);
        BinaryPrimitives.WriteUInt16BigEndian(header[4..], 1);
        packet.AddRange(header.ToArray());
        foreach (var label in name.TrimEnd('.').Split('.'))
        {
            var bytes = Encoding.ASCII.GetBytes(label);
            packet.Add((byte)bytes.Length);
            packet.AddRange(bytes);
        }

        packet.Add(0);
        packet.Add((byte)((ushort)type >> 8));
        packet.Add((byte)type);
        packet.Add(0);
        packet.Add(1);
        return [.. packet];
    }
}
