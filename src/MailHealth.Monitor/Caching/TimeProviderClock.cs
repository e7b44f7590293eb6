using Microsoft.Extensions.Internal;

namespace MailHealth.Monitor.Caching;

/// <summary>The <see cref="TimeProvider"/> as the clock <c>MemoryCache</c> takes, so that its expirations follow the host's (and a test's) time.</summary>
internal sealed class TimeProviderClock(TimeProvider time) : ISystemClock
{
    public DateTimeOffset UtcNow => time.GetUtcNow();
}
