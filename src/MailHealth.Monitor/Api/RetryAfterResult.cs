using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace MailHealth.Monitor.Api;

/// <summary>An answer with a <c>Retry-After</c> header (RFC 9110 section 10.2.3, in seconds) on top of another.</summary>
public sealed class RetryAfterResult(IResult inner, TimeSpan after) : IResult, IStatusCodeHttpResult
{
    public int? StatusCode => (inner as IStatusCodeHttpResult)?.StatusCode;

    public TimeSpan After => after;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        httpContext.Response.Headers.RetryAfter = ((long)Math.Ceiling(after.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return inner.ExecuteAsync(httpContext);
    }
}
