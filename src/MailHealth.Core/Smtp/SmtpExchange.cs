using System.Globalization;

namespace MailHealth.Smtp;

/// <summary>
/// One command and the server's reply, as seen on the wire (the greeting is the exchange
/// without a command). Timestamps are <see cref="TimeProvider.GetTimestamp"/> values.
/// </summary>
internal sealed class SmtpExchange
{
    private readonly List<string> _reply = [];

    /// <summary>The command line as sent, with secrets replaced by <c>***</c>; null for the greeting.</summary>
    public string? Command { get; init; }

    /// <summary>The command's first word in upper case (EHLO, STARTTLS...); empty for the greeting.</summary>
    public string Verb { get; init; } = "";

    public required SmtpStage Stage { get; init; }

    public required long SentAt { get; init; }

    public long? LastReplyAt { get; private set; }

    /// <summary>The reply lines, verbatim (long ones cut).</summary>
    public IReadOnlyList<string> Reply => _reply;

    /// <summary>True once the last line of a reply (<c>250 ...</c> rather than <c>250-...</c>) arrived.</summary>
    public bool Complete { get; private set; }

    /// <summary>The reply code of the last line; null until a well-formed last line arrives.</summary>
    public int? Code { get; private set; }

    public void AddReplyLine(string line, long at, int maxLines)
    {
        LastReplyAt = at;
        if (_reply.Count < maxLines)
        {
            _reply.Add(line);
        }

        // RFC 5321 section 4.2: three digits, then a space (or nothing) on the last line of a reply.
        if (line.Length >= 3 && char.IsAsciiDigit(line[0]) && char.IsAsciiDigit(line[1]) && char.IsAsciiDigit(line[2])
            && (line.Length == 3 || line[3] == ' '))
        {
            Code = int.Parse(line.AsSpan(0, 3), NumberStyles.None, CultureInfo.InvariantCulture);
            Complete = true;
        }
    }

    /// <summary>The reply as one text, lines joined by newlines.</summary>
    public string ReplyText => string.Join('\n', _reply);
}
