using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace MailHealth.Testing.Dns;

/// <summary>One resource record a <see cref="ScriptedDnsServer"/> serves, with its wire RDATA ready.</summary>
public sealed record ScriptedRecord(ushort Type, byte[] Data, string? Alias = null)
{
    public const ushort TypeA = 1;
    public const ushort TypeCname = 5;
    public const ushort TypePtr = 12;
    public const ushort TypeMx = 15;
    public const ushort TypeTxt = 16;
    public const ushort TypeAaaa = 28;
    public const ushort TypeTlsa = 52;
    public const ushort TypeSpf = 99;

    public static ScriptedRecord A(string address) => new(TypeA, IPAddress.Parse(address).GetAddressBytes());

    public static ScriptedRecord Aaaa(string address) => new(TypeAaaa, IPAddress.Parse(address).GetAddressBytes());

    public static ScriptedRecord Cname(string target) => new(TypeCname, DnsWire.EncodeName(target), target);

    public static ScriptedRecord Ptr(string target) => new(TypePtr, DnsWire.EncodeName(target));

    public static ScriptedRecord Mx(int preference, string exchange)
    {
        var name = DnsWire.EncodeName(exchange);
        var data = new byte[2 + name.Length];
        BinaryPrimitives.WriteUInt16BigEndian(data, (ushort)preference);
        name.CopyTo(data, 2);
        return new ScriptedRecord(TypeMx, data);
    }

    /// <summary>A TLSA record (RFC 6698 section 2.1): usage, selector, matching type, association data.</summary>
    public static ScriptedRecord Tlsa(byte usage, byte selector, byte matchingType, byte[] data) =>
        new(TypeTlsa, [usage, selector, matchingType, .. data]);

    /// <summary>A TXT record of the given strings, each UTF-8 encoded and cut at 255 octets. No strings at all is allowed (and hostile).</summary>
    public static ScriptedRecord Txt(params string[] strings) => new(TypeTxt, CharacterStrings(strings));

    /// <summary>The obsolete SPF type (99): served, never asked for by an RFC 7208 evaluator.</summary>
    public static ScriptedRecord Spf(params string[] strings) => new(TypeSpf, CharacterStrings(strings));

    private static byte[] CharacterStrings(string[] strings)
    {
        var data = new List<byte>();
        foreach (var s in strings)
        {
            var bytes = Encoding.UTF8.GetBytes(s);
            for (var offset = 0; offset == 0 || offset < bytes.Length; offset += 255)
            {
                var length = Math.Min(255, bytes.Length - offset);
                data.Add((byte)length);
                data.AddRange(bytes.AsSpan(offset, length).ToArray());
            }
        }

        return [.. data];
    }
}
