using System.Text;
using System.Text.Json;

namespace MailHealth.Monitor.Api;

/// <summary>A read answer's body as sent: its bytes, content type and strong entity tag (<see cref="EntityTags"/>).</summary>
public sealed record CachedBody(ReadOnlyMemory<byte> Content, string ContentType, string ETag)
{
    public const string Json = "application/json; charset=utf-8";

    /// <summary><paramref name="value"/> in the API's JSON (<see cref="ApiJson"/>), as <c>ApiJson.Ok</c> would write it.</summary>
    public static CachedBody Of<T>(T value) => Of(JsonSerializer.SerializeToUtf8Bytes(value, ApiJson.Options));

    /// <summary>JSON text already made (a stored report).</summary>
    public static CachedBody OfText(string json) => Of(Encoding.UTF8.GetBytes(json));

    private static CachedBody Of(byte[] json) => new(json, Json, EntityTags.Of(json));
}
