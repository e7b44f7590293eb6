namespace MailHealth.Testing.Http;

/// <summary>What an <see cref="HttpReceiver"/> answers to one request; <see cref="Hang"/> reads the request and never answers.</summary>
public sealed record ScriptedReply(int Status, IReadOnlyDictionary<string, string>? Headers = null, string Body = "", bool Hang = false)
{
    public static ScriptedReply Ok { get; } = new(200, Body: "ok");

    public static ScriptedReply Never { get; } = new(0, Hang: true);

    public static ScriptedReply Answer(int status, params (string Name, string Value)[] headers) =>
        new(status, headers.ToDictionary(h => h.Name, h => h.Value, StringComparer.OrdinalIgnoreCase));
}
