using System.Net;
using System.Net.Sockets;

namespace MailHealth.Testing;

/// <summary>How a <see cref="HostileDnsServer"/> misbehaves.</summary>
public enum HostileDnsBehavior
{
    /// <summary>Reads every question and never answers.</summary>
    Silent,

    /// <summary>Answers with the question's id followed by bytes that are no DNS message.</summary>
    Garbage,

    /// <summary>Answers with a message shorter than a DNS header.</summary>
    Truncated,

    /// <summary>
    /// A flaky blocklist: answers its RFC 5782 section 5 IPv4 test entries correctly (2.0.0.127.ZONE
    /// listed as 127.0.0.2, 1.0.0.127.ZONE NXDOMAIN) and never answers any other question.
    /// </summary>
    OnlyTestEntries,
}

/// <summary>
/// A UDP "DNS server" on loopback that plays a dead or broken one (a blocklist that went away, a
/// middlebox that mangles answers). Dispose to stop it.
/// </summary>
public sealed class HostileDnsServer : IAsyncDisposable
{
    private readonly UdpClient _socket;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _questions;

    /// <param name="behavior">How it misbehaves.</param>
    /// <param name="bindTo">A loopback address in the caller's own range; port 0 picks a free port.</param>
    public HostileDnsServer(HostileDnsBehavior behavior, IPEndPoint bindTo)
    {
        Behavior = behavior;
        _socket = new UdpClient(bindTo);
        Endpoint = (IPEndPoint)_socket.Client.LocalEndPoint!;
        _loop = Task.Run(ServeAsync);
    }

    public HostileDnsBehavior Behavior { get; }

    public IPEndPoint Endpoint { get; }

    /// <summary>How many datagrams arrived: proves the client did ask.</summary>
    public int Questions => Volatile.Read(ref _questions);

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            UdpReceiveResult received;
            try
            {
                received = await _socket.ReceiveAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            Interlocked.Increment(ref _questions);
            var reply = Behavior switch
            {
                HostileDnsBehavior.Garbage when received.Buffer.Length >= 2 =>
                    [received.Buffer[0], received.Buffer[1], 0x81, 0x80, 0x00, 0x01, 0x00, 0x05, 0xFF, 0xFF, 0xC0, 0x0C, 0xDE, 0xAD, 0xBE, 0xEF, 0x00],
                HostileDnsBehavior.Truncated => new byte[] { 0x12, 0x34, 0x81 },
                HostileDnsBehavior.OnlyTestEntries => TestEntryAnswer(received.Buffer),
                _ => null,
            };
            if (reply is not null)
            {
                try
                {
                    await _socket.SendAsync(reply, received.RemoteEndPoint, _stop.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>An answer for the IPv4 test entries (RFC 1035 section 4.1 message), null for anything else.</summary>
    private static byte[]? TestEntryAnswer(byte[] query)
    {
        // Question name: length-prefixed labels from offset 12 to a zero byte, then QTYPE and QCLASS.
        var labels = new List<string>();
        var at = 12;
        while (at < query.Length && query[at] != 0)
        {
            var length = query[at];
            if (length > 63 || at + 1 + length > query.Length)
            {
                return null;
            }

            labels.Add(System.Text.Encoding.ASCII.GetString(query, at + 1, length));
            at += 1 + length;
        }

        var questionEnd = at + 5;
        if (questionEnd > query.Length || labels.Count < 4)
        {
            return null;
        }

        var name = string.Join('.', labels).ToLowerInvariant();
        var listed = name.StartsWith("2.0.0.127.", StringComparison.Ordinal);
        if (!listed && !name.StartsWith("1.0.0.127.", StringComparison.Ordinal))
        {
            return null;
        }

        var reply = new List<byte>
        {
            query[0], query[1],
            (byte)(0x84 | (query[2] & 0x01)), (byte)(0x80 | (listed ? 0 : 3)), // QR AA (RD), RA, NOERROR or NXDOMAIN
            0, 1, 0, (byte)(listed ? 1 : 0), 0, 0, 0, 0,
        };
        reply.AddRange(query[12..questionEnd]);
        if (listed)
        {
            reply.AddRange([0xC0, 0x0C, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 127, 0, 0, 2]);
        }

        return [.. reply];
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Dispose();
        await _loop;
        _stop.Dispose();
    }
}
