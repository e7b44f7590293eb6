using System.Collections.Concurrent;
using System.Net;
using MailHealth.Testing.Http;

namespace MailHealth.Bench;

/// <summary>
/// A pass-through proxy in front of one Azurite endpoint (tables or queues) that counts the HTTP
/// requests going through it: each is a storage transaction as Azure bills them (a table
/// <c>$batch</c> is one request of up to 100 operations). Requests are counted by method and by
/// the table or queue they name, so the note can say where a run's transactions go. The proxy is
/// the tests' <see cref="FaultingHttpProxy"/> with a rule that fails nothing.
/// </summary>
internal sealed class StorageRequestCounter : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, long> counts = new(StringComparer.Ordinal);
    private readonly FaultingHttpProxy proxy;

    public StorageRequestCounter(IPEndPoint upstream) => proxy = new FaultingHttpProxy(upstream, Count);

    public IPEndPoint Endpoint => proxy.Endpoint;

    /// <summary>Requests so far, by "METHOD name" (name: the table or queue, <c>$batch</c>, <c>Tables</c>).</summary>
    public IReadOnlyDictionary<string, long> Snapshot() => counts.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    public static IReadOnlyDictionary<string, long> Between(IReadOnlyDictionary<string, long> before, IReadOnlyDictionary<string, long> after) =>
        after.ToDictionary(p => p.Key, p => p.Value - before.GetValueOrDefault(p.Key), StringComparer.Ordinal);

    public ValueTask DisposeAsync() => proxy.DisposeAsync();

    private ProxyFault Count(string method, string path)
    {
        // /devstoreaccount1/NAME... : the table (up to its key or query) or the queue.
        var segments = path.Split('?')[0].Split('/', StringSplitOptions.RemoveEmptyEntries);
        var name = segments.Length > 1 ? segments[1].Split('(')[0] : "(account)";
        var what = segments.Length > 2 ? $"{name}/{segments[2]}" : name;
        counts.AddOrUpdate($"{method} {what}", 1, (_, n) => n + 1);
        return ProxyFault.None;
    }
}
