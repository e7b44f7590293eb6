using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace MailHealth.Testing.Dns;

/// <summary>
/// A small authoritative DNS server on 127.0.0.1 (one ephemeral port, UDP and TCP) that answers
/// from a <see cref="ScriptedZone"/>: for test data no real server can be told to serve (a
/// question that must time out, a TXT without strings). It speaks the real wire protocol, so the
/// product's resolver is exercised as it is in production, TCP fallback included: a UDP answer
/// larger than the client's EDNS size (512 without EDNS) is sent truncated (TC).
/// </summary>
public sealed class ScriptedDnsServer : IAsyncDisposable
{
    private const int Ttl = 60;
    private readonly ScriptedZone _zone;
    private readonly UdpClient _udp;
    private readonly TcpListener _tcp;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _udpLoop;
    private readonly Task _tcpLoop;
    private int _queries;

    private ScriptedDnsServer(ScriptedZone zone, UdpClient udp, TcpListener tcp)
    {
        _zone = zone;
        _udp = udp;
        _tcp = tcp;
        Endpoint = (IPEndPoint)udp.Client.LocalEndPoint!;
        _udpLoop = Task.Run(ServeUdpAsync);
        _tcpLoop = Task.Run(ServeTcpAsync);
    }

    public IPEndPoint Endpoint { get; }

    /// <summary>Questions received so far (UDP and TCP).</summary>
    public int Queries => Volatile.Read(ref _queries);

    public static ScriptedDnsServer Start(ScriptedZone zone)
    {
        // UDP and TCP on the same port, as a resolver expects for its TCP fallback.
        for (var attempt = 0; ; attempt++)
        {
            var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)udp.Client.LocalEndPoint!).Port;
            var tcp = new TcpListener(IPAddress.Loopback, port);
            try
            {
                tcp.Start();
                return new ScriptedDnsServer(zone, udp, tcp);
            }
            catch (SocketException) when (attempt < 20)
            {
                udp.Dispose();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _udp.Dispose();
        _tcp.Stop();
        try
        {
            await Task.WhenAll(_udpLoop, _tcpLoop).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }

        _stop.Dispose();
    }

    private async Task ServeUdpAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            UdpReceiveResult received;
            try
            {
                received = await _udp.ReceiveAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }

            var reply = Answer(received.Buffer, udp: true);
            if (reply is not null)
            {
                try
                {
                    await _udp.SendAsync(reply, received.RemoteEndPoint, _stop.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
                {
                }
            }
        }
    }

    private async Task ServeTcpAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _tcp.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = Task.Run(() => ServeTcpClientAsync(client));
        }
    }

    private async Task ServeTcpClientAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var lengthBytes = new byte[2];
                while (!_stop.IsCancellationRequested)
                {
                    await stream.ReadExactlyAsync(lengthBytes, _stop.Token).ConfigureAwait(false);
                    var query = new byte[BinaryPrimitives.ReadUInt16BigEndian(lengthBytes)];
                    await stream.ReadExactlyAsync(query, _stop.Token).ConfigureAwait(false);
                    var reply = Answer(query, udp: false);
                    if (reply is null)
                    {
                        // A dropped question: keep the connection silent until the client gives up.
                        await Task.Delay(Timeout.Infinite, _stop.Token).ConfigureAwait(false);
                        return;
                    }

                    var framed = new byte[reply.Length + 2];
                    BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)reply.Length);
                    reply.CopyTo(framed, 2);
                    await stream.WriteAsync(framed, _stop.Token).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or SocketException or EndOfStreamException)
            {
            }
        }
    }

    /// <summary>The reply to one query, or null to drop it.</summary>
    private byte[]? Answer(byte[] query, bool udp)
    {
        Interlocked.Increment(ref _queries);
        if (query.Length < 12 || BinaryPrimitives.ReadUInt16BigEndian(query.AsSpan(4)) != 1)
        {
            return null;
        }

        var offset = 12;
        string name;
        try
        {
            name = ScriptedDnsWire.ReadName(query, ref offset);
        }
        catch (Exception e) when (e is FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return null;
        }

        var questionEnd = offset + 4;
        if (questionEnd > query.Length)
        {
            return null;
        }

        var type = BinaryPrimitives.ReadUInt16BigEndian(query.AsSpan(offset));
        var maxUdp = udp ? EdnsSize(query, questionEnd) : ushort.MaxValue;

        var answers = new List<(string Owner, ScriptedRecord Record)>();
        var rcode = 0;
        var current = name;
        for (var hop = 0; hop < 16; hop++)
        {
            if (!_zone.Contains(current))
            {
                rcode = 3;
                break;
            }

            var entries = _zone.EntriesOf(current);
            var alias = type != ScriptedRecord.TypeCname ? entries.FirstOrDefault(e => e?.Type == ScriptedRecord.TypeCname) : null;
            if (alias is not null)
            {
                answers.Add((current, alias));
                current = alias.Alias!;
                continue;
            }

            var found = false;
            foreach (var entry in entries)
            {
                if (entry is null)
                {
                    if (!found)
                    {
                        return null;
                    }

                    break;
                }

                if (entry.Type == ScriptedRecord.GarbageMarker.Type)
                {
                    // The query id (so the client reads it as the reply), a header claiming
                    // answers, and bytes that are not records.
                    var junk = new byte[64];
                    query.AsSpan(0, 2).CopyTo(junk);
                    junk[2] = 0x84;
                    junk[7] = 5;
                    for (var i = 12; i < junk.Length; i++)
                    {
                        junk[i] = (byte)(0xC0 | (i * 7));
                    }

                    return junk;
                }

                if (entry.Type == 0)
                {
                    if (!found)
                    {
                        answers.Clear();
                        rcode = 2;
                    }

                    break;
                }

                if (entry.Type == type)
                {
                    found = true;
                    answers.Add((current, entry));
                }
            }

            break;
        }

        return Build(query, questionEnd, answers, rcode, maxUdp);
    }

    private static byte[] Build(byte[] query, int questionEnd, List<(string Owner, ScriptedRecord Record)> answers, int rcode, int maxUdp)
    {
        var message = new List<byte>();
        var header = new byte[12];
        query.AsSpan(0, 2).CopyTo(header);
        var rd = query[2] & 0x01;
        header[2] = (byte)(0x80 | (query[2] & 0x78) | 0x04 | rd); // QR, opcode, AA, RD
        header[3] = (byte)rcode;
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(4), 1);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(6), (ushort)answers.Count);
        message.AddRange(header);
        message.AddRange(query.AsSpan(12, questionEnd - 12).ToArray());
        foreach (var (owner, record) in answers)
        {
            message.AddRange(ScriptedDnsWire.EncodeName(owner));
            var fixedPart = new byte[10];
            BinaryPrimitives.WriteUInt16BigEndian(fixedPart, record.Type);
            BinaryPrimitives.WriteUInt16BigEndian(fixedPart.AsSpan(2), 1);
            BinaryPrimitives.WriteUInt32BigEndian(fixedPart.AsSpan(4), Ttl);
            BinaryPrimitives.WriteUInt16BigEndian(fixedPart.AsSpan(8), (ushort)record.Data.Length);
            message.AddRange(fixedPart);
            message.AddRange(record.Data);
        }

        if (message.Count <= maxUdp)
        {
            return [.. message];
        }

        // Too big for UDP: the header and question only, with TC set (RFC 1035 section 4.1.1).
        var truncated = message.Take(questionEnd).ToArray();
        truncated[2] |= 0x02;
        BinaryPrimitives.WriteUInt16BigEndian(truncated.AsSpan(6), 0);
        return truncated;
    }

    // RFC 6891 section 6.2.3: the requestor's UDP payload size is the OPT record's CLASS.
    private static int EdnsSize(byte[] query, int offset)
    {
        var additional = BinaryPrimitives.ReadUInt16BigEndian(query.AsSpan(10));
        try
        {
            for (var i = 0; i < additional && offset + 11 <= query.Length; i++)
            {
                ScriptedDnsWire.ReadName(query, ref offset);
                var type = BinaryPrimitives.ReadUInt16BigEndian(query.AsSpan(offset));
                var size = BinaryPrimitives.ReadUInt16BigEndian(query.AsSpan(offset + 2));
                var length = BinaryPrimitives.ReadUInt16BigEndian(query.AsSpan(offset + 8));
                if (type == 41)
                {
                    return Math.Max(512, (int)size);
                }

                offset += 10 + length;
            }
        }
        catch (Exception e) when (e is IndexOutOfRangeException or ArgumentOutOfRangeException or FormatException)
        {
        }

        return 512;
    }
}
