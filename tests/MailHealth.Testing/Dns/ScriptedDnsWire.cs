using System.Buffers.Binary;
using System.Text;

namespace MailHealth.Testing.Dns;

/// <summary>The bits of the RFC 1035 message format the scripted server needs.</summary>
public static class ScriptedDnsWire
{
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
}
