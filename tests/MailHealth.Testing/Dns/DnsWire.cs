using System.Buffers.Binary;
using System.Text;

namespace MailHealth.Testing.Dns;

/// <summary>The bits of the RFC 1035 message format the test server reads and writes.</summary>
internal static class DnsWire
{
    /// <summary>Length of the fixed message header (RFC 1035 section 4.1.1).</summary>
    public const int HeaderLength = 12;

    /// <summary>A name as uncompressed labels. Label text is taken byte for byte (Latin-1) so odd names survive.</summary>
    public static byte[] EncodeName(string name)
    {
        var bytes = new List<byte>();
        var trimmed = name.TrimEnd('.');
        if (trimmed.Length > 0)
        {
            foreach (var label in trimmed.Split('.'))
            {
                var data = Encoding.Latin1.GetBytes(label);
                bytes.Add((byte)Math.Min(data.Length, 63));
                bytes.AddRange(data.Take(63));
            }
        }

        bytes.Add(0);
        return [.. bytes];
    }

    /// <summary>Reads a (possibly compressed) name at <paramref name="offset"/>, which moves past it.</summary>
    public static string ReadName(ReadOnlySpan<byte> message, ref int offset)
    {
        var labels = new List<string>();
        var position = offset;
        var jumped = false;
        for (var hops = 0; hops < 64; hops++)
        {
            var length = message[position];
            if ((length & 0xC0) == 0xC0)
            {
                var pointer = BinaryPrimitives.ReadUInt16BigEndian(message[position..]) & 0x3FFF;
                if (!jumped)
                {
                    offset = position + 2;
                }

                jumped = true;
                position = pointer;
                continue;
            }

            if (length == 0)
            {
                if (!jumped)
                {
                    offset = position + 1;
                }

                return string.Join('.', labels);
            }

            labels.Add(Encoding.Latin1.GetString(message.Slice(position + 1, length)));
            position += 1 + length;
        }

        throw new FormatException("name compression loop");
    }

    /// <summary>The query's single question, or null when the message does not hold exactly one readable question.</summary>
    public static DnsQuestion? ReadQuestion(byte[] query)
    {
        if (query.Length < HeaderLength || BinaryPrimitives.ReadUInt16BigEndian(query.AsSpan(4)) != 1)
        {
            return null;
        }

        var offset = HeaderLength;
        string name;
        try
        {
            name = ReadName(query, ref offset);
        }
        catch (Exception e) when (e is FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return null;
        }

        // QTYPE and QCLASS follow the name.
        return offset + 4 > query.Length ? null : new DnsQuestion(name, BinaryPrimitives.ReadUInt16BigEndian(query.AsSpan(offset)), offset + 4);
    }

    /// <summary>
    /// A reply's header and the query's question: id, opcode and RD copied, QR and AA set (the
    /// server is authoritative for what it serves), no recursion offered (RFC 1035 section 4.1.1).
    /// </summary>
    public static byte[] ReplyHeader(byte[] query, int questionEnd, int rcode, int answerCount = 0, bool truncated = false, bool asResolver = false)
    {
        var reply = query.AsSpan(0, questionEnd).ToArray();
        // An authoritative server sets AA; a caching resolver sets RA instead (RFC 1035 section 4.1.1).
        reply[2] = (byte)(0x80 | (query[2] & 0x79) | (asResolver ? 0 : 0x04) | (truncated ? 0x02 : 0));
        reply[3] = (byte)((asResolver ? 0x80 : 0) | rcode);
        BinaryPrimitives.WriteUInt16BigEndian(reply.AsSpan(4), (ushort)(questionEnd > HeaderLength ? 1 : 0));
        BinaryPrimitives.WriteUInt16BigEndian(reply.AsSpan(6), (ushort)answerCount);
        BinaryPrimitives.WriteUInt16BigEndian(reply.AsSpan(8), 0);
        BinaryPrimitives.WriteUInt16BigEndian(reply.AsSpan(10), 0);
        return reply;
    }

    /// <summary>One resource record: owner, TYPE, CLASS IN, TTL, RDLENGTH and RDATA (RFC 1035 section 4.1.3).</summary>
    public static byte[] Record(string owner, ScriptedRecord record, int ttl)
    {
        var name = EncodeName(owner);
        var bytes = new byte[name.Length + 10 + record.Data.Length];
        name.CopyTo(bytes, 0);
        var fixedPart = bytes.AsSpan(name.Length);
        BinaryPrimitives.WriteUInt16BigEndian(fixedPart, record.Type);
        BinaryPrimitives.WriteUInt16BigEndian(fixedPart[2..], 1);
        BinaryPrimitives.WriteUInt32BigEndian(fixedPart[4..], (uint)ttl);
        BinaryPrimitives.WriteUInt16BigEndian(fixedPart[8..], (ushort)record.Data.Length);
        record.Data.CopyTo(fixedPart[10..]);
        return bytes;
    }

    /// <summary>
    /// The largest UDP reply the client takes: the OPT record's CLASS (RFC 6891 section 6.2.3),
    /// else 512 (RFC 1035 section 4.2.1).
    /// </summary>
    public static int MaxUdpSize(byte[] query, int questionEnd)
    {
        var offset = questionEnd;
        var additional = BinaryPrimitives.ReadUInt16BigEndian(query.AsSpan(10));
        try
        {
            for (var i = 0; i < additional && offset + 11 <= query.Length; i++)
            {
                ReadName(query, ref offset);
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
            // A broken additional section: fall back to the size every client accepts.
        }

        return 512;
    }
}
