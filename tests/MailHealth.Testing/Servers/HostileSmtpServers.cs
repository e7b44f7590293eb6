using System.Net.Sockets;
using System.Text;

namespace MailHealth.Testing.Servers;

/// <summary>
/// Mail servers that no real package plays: silent, slow, rude, broken. Each is a
/// <see cref="SocketServer"/> on 127.0.0.1 with an ephemeral port; the probe must end each
/// one within its deadlines with a clear finding.
/// </summary>
public static class HostileSmtpServers
{
    private const string Name = "hostile.smtp.test";

    /// <summary>Accepts and never says a word.</summary>
    public static SocketServer Silent() => SocketServer.Silent();

    /// <summary>Greets after <paramref name="delay"/>, then behaves (EHLO without STARTTLS, QUIT).</summary>
    public static SocketServer SlowGreeting(TimeSpan delay) => new(async (socket, stop) =>
    {
        await Task.Delay(delay, stop);
        await ConverseAsync(socket, $"220 {Name} ESMTP slow", ["250-" + Name, "250 8BITMIME"], stop);
    });

    /// <summary>Greets with 554: "no SMTP service here" (RFC 5321 section 3.1).</summary>
    public static SocketServer Greeting554() => new(async (socket, stop) =>
        await ConverseAsync(socket, "554 5.3.2 no SMTP service here", ["503 5.5.1 no service"], stop));

    /// <summary>Answers the connection with binary junk lines, then waits.</summary>
    public static SocketServer Garbage() => new(async (socket, stop) =>
    {
        var junk = new byte[64];
        new Random(25).NextBytes(junk);
        junk[^2] = (byte)'\r';
        junk[^1] = (byte)'\n';
        await SendAsync(socket, junk, stop);
        await SendAsync(socket, "?? not smtp at all\r\n", stop);
        await Task.Delay(Timeout.Infinite, stop);
    });

    /// <summary>A proper greeting, then junk as the reply to EHLO.</summary>
    public static SocketServer GarbageAfterEhlo() => new(async (socket, stop) =>
    {
        await SendAsync(socket, $"220 {Name} ESMTP\r\n", stop);
        await ReadLineAsync(socket, stop);
        await SendAsync(socket, "HTTP/1.1 400 Bad Request\r\n\r\n<html>\r\n", stop);
        await Task.Delay(Timeout.Infinite, stop);
    });

    /// <summary>Sends <paramref name="bytes"/> bytes without a line end as its greeting, then waits.</summary>
    public static SocketServer HugeLine(int bytes = 1024 * 1024) => new(async (socket, stop) =>
    {
        var line = Encoding.ASCII.GetBytes("220 " + new string('x', bytes - 4));
        await SendAsync(socket, line, stop);
        await Task.Delay(Timeout.Infinite, stop);
    });

    /// <summary>A proper greeting, then a reply to EHLO that never ends its line.</summary>
    public static SocketServer HugeLineAfterEhlo(int bytes = 1024 * 1024) => new(async (socket, stop) =>
    {
        await SendAsync(socket, $"220 {Name} ESMTP\r\n", stop);
        await ReadLineAsync(socket, stop);
        await SendAsync(socket, Encoding.ASCII.GetBytes("250-" + new string('y', bytes - 4)), stop);
        await Task.Delay(Timeout.Infinite, stop);
    });

    /// <summary>A proper greeting, then silence after EHLO.</summary>
    public static SocketServer StallAfterEhlo() => new(async (socket, stop) =>
    {
        await SendAsync(socket, $"220 {Name} ESMTP\r\n", stop);
        await ReadLineAsync(socket, stop);
        await Task.Delay(Timeout.Infinite, stop);
    });

    /// <summary>A proper greeting; on EHLO it hangs up without a word.</summary>
    public static SocketServer CloseAfterEhlo() => new(async (socket, stop) =>
    {
        await SendAsync(socket, $"220 {Name} ESMTP\r\n", stop);
        await ReadLineAsync(socket, stop);
        socket.Shutdown(SocketShutdown.Both);
    });

    /// <summary>EHLO offers STARTTLS, STARTTLS gets a 454 (RFC 3207 section 4: TLS not available).</summary>
    public static SocketServer StartTlsRefused() => new(async (socket, stop) =>
        await ConverseAsync(socket, $"220 {Name} ESMTP", ["250-" + Name, "250 STARTTLS"], stop, starttls: "454 4.7.0 TLS not available due to local problem"));

    /// <summary>Implicit TLS port (465) that reads the ClientHello and hangs up.</summary>
    public static SocketServer TlsCutImplicit() => new(async (socket, stop) =>
    {
        await ReadSomeAsync(socket, stop);
        socket.Shutdown(SocketShutdown.Both);
    });

    /// <summary>Implicit TLS port (465) that reads the ClientHello and never answers.</summary>
    public static SocketServer TlsStallImplicit() => new(async (socket, stop) =>
    {
        await ReadSomeAsync(socket, stop);
        await Task.Delay(Timeout.Infinite, stop);
    });

    /// <summary>Accepts STARTTLS with 220, reads the ClientHello and hangs up (or, with <paramref name="stall"/>, never answers).</summary>
    public static SocketServer TlsCutAfterStartTls(bool stall = false) => new(async (socket, stop) =>
    {
        await SendAsync(socket, $"220 {Name} ESMTP\r\n", stop);
        await ReadLineAsync(socket, stop);
        await SendAsync(socket, $"250-{Name}\r\n250 STARTTLS\r\n", stop);
        await ReadLineAsync(socket, stop);
        await SendAsync(socket, "220 2.0.0 Ready to start TLS\r\n", stop);
        await ReadSomeAsync(socket, stop);
        if (stall)
        {
            await Task.Delay(Timeout.Infinite, stop);
        }

        socket.Shutdown(SocketShutdown.Both);
    });

    /// <summary>A proper greeting, then an EHLO reply that never ends: well-formed continuation lines without end.</summary>
    public static SocketServer EndlessEhloReply() => new(async (socket, stop) =>
    {
        await SendAsync(socket, $"220 {Name} ESMTP\r\n", stop);
        await ReadLineAsync(socket, stop);
        var chunk = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("250-X-FLOOD " + new string('z', 100) + "\r\n", 100)));
        while (!stop.IsCancellationRequested)
        {
            await SendAsync(socket, chunk, stop);
        }
    });

    /// <summary>
    /// An honest dialogue (EHLO without STARTTLS) until QUIT, whose reply it holds until
    /// <paramref name="release"/> completes. <paramref name="quitRead"/> completes when QUIT came;
    /// <paramref name="hungUpBeforeReply"/> says, once released, whether the client had already hung up.
    /// </summary>
    public static SocketServer QuitReplyHeld(Task release, TaskCompletionSource quitRead, TaskCompletionSource<bool> hungUpBeforeReply) => new(async (socket, stop) =>
    {
        await SendAsync(socket, $"220 {Name} ESMTP\r\n", stop);
        while (await ReadLineAsync(socket, stop) is { } line)
        {
            var verb = line.Split(' ', 2)[0].ToUpperInvariant();
            if (verb != "QUIT")
            {
                await SendAsync(socket, verb is "EHLO" or "HELO" ? $"250-{Name}\r\n250 8BITMIME\r\n" : "250 2.0.0 ok\r\n", stop);
                continue;
            }

            quitRead.TrySetResult();
            // Completes (with null) when the client hangs up.
            var hangUp = ReadLineAsync(socket, stop);
            await release.WaitAsync(stop);
            hungUpBeforeReply.TrySetResult(hangUp.IsCompleted);
            await SendAsync(socket, "221 2.0.0 bye\r\n", stop);
            await hangUp;
            return;
        }
    });

    /// <summary>
    /// A tiny, honest SMTP dialogue after <paramref name="greeting"/>: EHLO/HELO get
    /// <paramref name="ehlo"/>, STARTTLS gets <paramref name="starttls"/>, QUIT ends, anything else 250.
    /// </summary>
    public static async Task ConverseAsync(Socket socket, string greeting, IReadOnlyList<string> ehlo, CancellationToken stop, string starttls = "502 5.5.1 not here")
    {
        await SendAsync(socket, greeting + "\r\n", stop);
        while (await ReadLineAsync(socket, stop) is { } line)
        {
            var verb = line.Split(' ', 2)[0].ToUpperInvariant();
            var reply = verb switch
            {
                "EHLO" or "HELO" => string.Join("\r\n", ehlo),
                "STARTTLS" => starttls,
                "QUIT" => "221 2.0.0 bye",
                _ => "250 2.0.0 ok",
            };
            await SendAsync(socket, reply + "\r\n", stop);
            if (verb == "QUIT")
            {
                return;
            }
        }
    }

    public static Task SendAsync(Socket socket, string text, CancellationToken stop) =>
        SendAsync(socket, Encoding.ASCII.GetBytes(text), stop);

    public static async Task SendAsync(Socket socket, byte[] bytes, CancellationToken stop)
    {
        var sent = 0;
        while (sent < bytes.Length)
        {
            sent += await socket.SendAsync(bytes.AsMemory(sent), SocketFlags.None, stop);
        }
    }

    /// <summary>One CRLF line from the client, or null when it hung up.</summary>
    public static async Task<string?> ReadLineAsync(Socket socket, CancellationToken stop)
    {
        var line = new StringBuilder();
        var one = new byte[1];
        while (true)
        {
            if (await socket.ReceiveAsync(one, SocketFlags.None, stop) == 0)
            {
                return null;
            }

            if (one[0] == '\n')
            {
                return line.ToString().TrimEnd('\r');
            }

            line.Append((char)one[0]);
        }
    }

    private static async Task ReadSomeAsync(Socket socket, CancellationToken stop)
    {
        var buffer = new byte[4096];
        await socket.ReceiveAsync(buffer, SocketFlags.None, stop);
    }
}
