using System.Text;
using MailHealth.Checks;
using MailKit;

namespace MailHealth.Smtp;

/// <summary>
/// MailKit's protocol logger for one probe: keeps every command and reply with the time it was
/// seen (the stage timings and the evidence come from here), moves the stage timer along as the
/// conversation goes, and stops a server that sends endless lines. Secrets never get in: an AUTH
/// command keeps only its mechanism name and every SASL response is <c>***</c>. It ends with the
/// QUIT command: the reply to QUIT is awaited after the probe is judged (<see cref="SmtpClosings"/>),
/// so nothing the server says after QUIT is kept.
/// </summary>
internal sealed class SmtpTranscript : IProtocolLogger
{
    /// <summary>RFC 5321 section 4.5.3.1.5 limits a reply line to 512 octets; allow far more before calling it garbage.</summary>
    public const int MaxLineBytes = 4096;

    /// <summary>No honest SMTP dialogue of a probe comes near this.</summary>
    public const int MaxServerBytes = 1024 * 1024;

    private const int MaxLinesPerReply = 200;
    private const int MaxLineChars = 512;

    private readonly TimeProvider _time;
    private readonly SmtpStageTimer _timer;
    private readonly CheckOptions _options;
    private readonly List<SmtpExchange> _exchanges = [];
    private readonly List<byte> _serverLine = [];
    private readonly List<byte> _clientLine = [];
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _quitSent = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _serverBytes;
    private bool _inAuth;
    private bool _ended;

    public SmtpTranscript(TimeProvider time, SmtpStageTimer timer, CheckOptions options)
    {
        _time = time;
        _timer = timer;
        _options = options;
    }

    public IAuthenticationSecretDetector? AuthenticationSecretDetector { get; set; }

    /// <summary>True once the session is encrypted: an EHLO from then on is the one after TLS.</summary>
    public bool Encrypted { get; private set; }

    /// <summary>When the STARTTLS handshake ended (the first command sent on the encrypted session).</summary>
    public long? StartTlsHandshakeEndedAt { get; private set; }

    /// <summary>When the server accepted STARTTLS (the handshake starts).</summary>
    public long? StartTlsAcceptedAt { get; private set; }

    /// <summary>Completes when the client has sent QUIT, the transcript's last line.</summary>
    public Task QuitSent => _quitSent.Task;

    /// <summary>The start of an endless line, kept as evidence when one was cut off.</summary>
    public string? OverlongLinePreview { get; private set; }

    public IReadOnlyList<SmtpExchange> Exchanges
    {
        get
        {
            lock (_gate)
            {
                return [.. _exchanges];
            }
        }
    }

    /// <summary>Starts waiting for the greeting; called once the TCP (and implicit TLS) session is up.</summary>
    public void BeginGreeting(bool encrypted)
    {
        lock (_gate)
        {
            Encrypted = encrypted;
            _exchanges.Add(new SmtpExchange { Stage = SmtpStage.Greeting, SentAt = _time.GetTimestamp() });
        }

        _timer.Enter(SmtpStage.Greeting, _options.GreetingTimeout);
    }

    /// <summary>Starts the implicit-TLS handshake (port 465): the first stage, before any SMTP byte.</summary>
    public void EnterTlsHandshake() => _timer.Enter(SmtpStage.TlsHandshake, _options.TlsTimeout);

    /// <summary>The last reply the server gave, verbatim; null when it gave none yet.</summary>
    public string? LastReply()
    {
        lock (_gate)
        {
            return _exchanges.LastOrDefault(e => e.Reply.Count > 0)?.ReplyText;
        }
    }

    public void LogConnect(Uri uri)
    {
    }

    /// <summary>Nothing to release: the transcript only holds memory.</summary>
    public void Dispose()
    {
    }

    public void LogClient(byte[] buffer, int offset, int count)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        lock (_gate)
        {
            for (var i = offset; i < offset + count && !_ended; i++)
            {
                if (buffer[i] == (byte)'\n')
                {
                    OnClientLine(Decode(_clientLine));
                    _clientLine.Clear();
                }
                else if (buffer[i] != (byte)'\r' && _clientLine.Count < MaxLineBytes)
                {
                    _clientLine.Add(buffer[i]);
                }
            }
        }
    }

    public void LogServer(byte[] buffer, int offset, int count)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        string? violation = null;
        lock (_gate)
        {
            if (_ended)
            {
                return;
            }

            _serverBytes += count;
            for (var i = offset; i < offset + count; i++)
            {
                if (buffer[i] == (byte)'\n')
                {
                    OnServerLine(Decode(_serverLine));
                    _serverLine.Clear();
                }
                else if (buffer[i] != (byte)'\r' && _serverLine.Count <= MaxLineBytes)
                {
                    _serverLine.Add(buffer[i]);
                }
            }

            if (_serverLine.Count > MaxLineBytes)
            {
                OverlongLinePreview = Decode(_serverLine.Take(80).ToList()) + "...";
                violation = $"the server sent a line longer than {MaxLineBytes} bytes without CRLF";
            }
            else if (_serverBytes > MaxServerBytes)
            {
                violation = $"the server sent more than {MaxServerBytes} bytes";
            }
        }

        if (violation is not null)
        {
            _timer.Abort(violation);
        }
    }

    /// <summary>The session as lines, <c>S:</c> for the server and <c>C:</c> for the client, secrets hidden.</summary>
    public IReadOnlyList<string> Lines()
    {
        var lines = new List<string>();
        foreach (var exchange in Exchanges)
        {
            if (exchange.Command is { } command)
            {
                lines.Add("C: " + command);
            }

            lines.AddRange(exchange.Reply.Select(r => "S: " + r));
        }

        return lines;
    }

    private void OnClientLine(string line)
    {
        var now = _time.GetTimestamp();
        var current = _exchanges.Count > 0 ? _exchanges[^1] : null;
        string command;
        string verb;
        if (_inAuth && current?.Code == 334)
        {
            // RFC 4954 section 4: a line after a 334 is a SASL response, which may carry the password.
            command = "***";
            verb = "AUTH";
        }
        else
        {
            verb = line.Split(' ', 2)[0].ToUpperInvariant();
            _inAuth = verb == "AUTH";
            command = _inAuth ? RedactAuth(line) : line;
        }

        if (StartTlsAcceptedAt is not null && StartTlsHandshakeEndedAt is null)
        {
            StartTlsHandshakeEndedAt = now;
            Encrypted = true;
        }

        var (stage, limit) = verb switch
        {
            "EHLO" or "HELO" => (Encrypted ? SmtpStage.EhloAfterTls : SmtpStage.Ehlo, _options.CommandTimeout),
            "STARTTLS" => (SmtpStage.StartTls, _options.CommandTimeout),
            "AUTH" => (SmtpStage.Auth, _options.CommandTimeout),
            "MAIL" or "RCPT" or "RSET" => (SmtpStage.RelayTest, _options.CommandTimeout),
            "QUIT" => (SmtpStage.Quit, _options.CommandTimeout),
            _ => (_timer.Stage, _options.CommandTimeout),
        };
        _exchanges.Add(new SmtpExchange { Command = Cut(command), Verb = verb, Stage = stage, SentAt = now });
        _timer.Enter(stage, limit);
        if (stage == SmtpStage.Quit)
        {
            // The probe is judged from here on, while its reply is awaited apart (SmtpClosings).
            _ended = true;
            _quitSent.TrySetResult();
        }
    }

    private void OnServerLine(string line)
    {
        var now = _time.GetTimestamp();
        if (_exchanges.Count == 0)
        {
            _exchanges.Add(new SmtpExchange { Stage = SmtpStage.Greeting, SentAt = now });
        }

        var exchange = _exchanges[^1];
        exchange.AddReplyLine(Cut(line), now, MaxLinesPerReply);
        if (exchange.Complete && exchange.Verb == "STARTTLS" && exchange.Code == 220)
        {
            StartTlsAcceptedAt = now;
            _timer.Enter(SmtpStage.TlsHandshake, _options.TlsTimeout);
        }
    }

    private static string RedactAuth(string line)
    {
        var parts = line.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
        return parts.Length switch
        {
            1 => parts[0],
            2 => $"{parts[0]} {parts[1]}",
            _ => $"{parts[0]} {parts[1]} ***",
        };
    }

    private static string Cut(string line) => line.Length <= MaxLineChars ? line : line[..MaxLineChars] + "...";

    // Latin-1 keeps every byte visible; a reply is ASCII anyway (RFC 5321 section 2.4).
    private static string Decode(List<byte> bytes)
    {
        var text = Encoding.Latin1.GetString([.. bytes]);
        return string.Create(text.Length, text, (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = char.IsControl(source[i]) ? '?' : source[i];
            }
        });
    }
}
