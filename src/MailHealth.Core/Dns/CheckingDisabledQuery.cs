using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using DnsClient;
using DnsClient.Protocol;

namespace MailHealth.Dns;

/// <summary>
/// One question with the CD (checking disabled) bit set (RFC 4035 section 3.2.2): a validating
/// resolver then answers without validating. A SERVFAIL that becomes an answer with CD set means
/// the DNSSEC chain is broken (bogus), not the name servers. DnsClient cannot set CD, so this
/// sends the few bytes itself, with the DO bit (RFC 3225) so the answer carries its RRSIGs, and
/// reads the response code and the signatures' expiry times: expired ones name the cause.
/// </summary>
public static class CheckingDisabledQuery
{
    private const ushort RecursionDesired = 0x0100;
    private const ushort CheckingDisabled = 0x0010;
    private const ushort RrsigType = 46;

    /// <summary>The answer from the first of the resolver's servers that answers, or null when none answers in time.</summary>
    public static async Task<CheckingDisabledAnswer?> AskAsync(DnsResolver dns, string name, QueryType type, CancellationToken cancellationToken)
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

    private static async Task<CheckingDisabledAnswer?> AskOneAsync(IPEndPoint server, string name, QueryType type, TimeSpan timeout, CancellationToken cancellationToken)
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
                    return new CheckingDisabledAnswer((DnsHeaderResponseCode)(data[3] & 0x0F), FirstSignatureExpiry(data, (ResourceRecordType)type));
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

        // The OPT pseudo-record (RFC 6891 section 6.1.2): root owner, type 41, a 1232-byte UDP
        // size, and the DO bit (RFC 3225 section 3) so that the RRSIGs come with the answer.
        packet.AddRange([0, 0, 41, 0x04, 0xD0, 0, 0, 0x80, 0, 0, 0]);
        packet[11] = 1;
        return [.. packet];
    }

    /// <summary>
    /// The earliest expiry of the answer section's RRSIGs over <paramref name="covered"/> (RFC 4034
    /// section 3.1: type covered, algorithm, labels, original TTL, then the expiration as seconds
    /// since 1970, read modulo 2^32 as section 3.1.5 says); null when there is none or the reply
    /// cannot be read.
    /// </summary>
    private static DateTimeOffset? FirstSignatureExpiry(byte[] reply, ResourceRecordType covered)
    {
        DateTimeOffset? first = null;
        try
        {
            var reader = new DnsDatagramReader(new ArraySegment<byte>(reply), 12);
            var questions = BinaryPrimitives.ReadUInt16BigEndian(reply.AsSpan(4));
            var answers = BinaryPrimitives.ReadUInt16BigEndian(reply.AsSpan(6));
            for (var i = 0; i < questions; i++)
            {
                reader.ReadDnsName();
                reader.Advance(4);
            }

            for (var i = 0; i < answers; i++)
            {
                reader.ReadDnsName();
                var recordType = reader.ReadUInt16NetworkOrder();
                reader.Advance(6);
                var length = reader.ReadUInt16NetworkOrder();
                var start = reader.Index;
                if (recordType == RrsigType && length >= 12 && reader.ReadUInt16NetworkOrder() == (ushort)covered)
                {
                    reader.Advance(6);
                    var expires = DateTimeOffset.FromUnixTimeSeconds(reader.ReadUInt32NetworkOrder());
                    first = first is { } earlier && earlier <= expires ? earlier : expires;
                }

                reader.Advance(start + length - reader.Index);
            }
        }
        catch (Exception e) when (e is IndexOutOfRangeException or ArgumentOutOfRangeException or DnsResponseParseException)
        {
            // A reply that does not parse says nothing about its signatures.
        }

        return first;
    }
}
