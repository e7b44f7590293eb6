using System.Text;

namespace MailHealth.Testing.Http;

/// <summary>One request an <see cref="HttpReceiver"/> read, and the status it answered.</summary>
public sealed record ReceivedRequest(string Method, string Target, IReadOnlyDictionary<string, string> Headers, byte[] Body, int AnsweredStatus)
{
    public string BodyText => Encoding.UTF8.GetString(Body);

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}
