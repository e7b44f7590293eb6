using Microsoft.Extensions.Options;

namespace MailHealth.Monitor.Dashboard;

/// <summary>
/// Links into the dashboard at the monitor's public URL (<c>MailHealth:Monitor:PublicUrl</c>): its
/// root, and a target's page, the view that route() in wwwroot/app.js opens for
/// <c>#/target/{id}</c>. Null when no public URL is configured: a monitor cannot know the address
/// people reach it at (a proxy, a custom domain), so it links nowhere rather than somewhere wrong.
/// </summary>
public sealed class DashboardLinks
{
    public DashboardLinks(string? publicUrl)
    {
        Root = string.IsNullOrEmpty(publicUrl) ? null : ParseRoot(publicUrl);
    }

    public DashboardLinks(IOptions<MonitorSettings> settings)
        : this(settings?.Value.PublicUrl)
    {
    }

    /// <summary>The dashboard's address, its path ending in '/'; null without a public URL.</summary>
    public Uri? Root { get; }

    /// <summary>The page of target <paramref name="targetId"/>; null without a public URL.</summary>
    public Uri? Target(string targetId)
    {
        ArgumentNullException.ThrowIfNull(targetId);
        return Root is null ? null : new Uri(Root, "#/target/" + Uri.EscapeDataString(targetId));
    }

    /// <summary>
    /// <paramref name="publicUrl"/> as the dashboard's root (a path without its trailing '/' gets
    /// one, so that the page's relative URLs work), or null when it is not an absolute http(s) URL,
    /// or has a user (a password in a link that every notification carries), a query or a fragment.
    /// </summary>
    public static Uri? ParseRoot(string publicUrl)
    {
        if (!Uri.TryCreate(publicUrl, UriKind.Absolute, out var url)
            || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp)
            || url.UserInfo.Length > 0 || url.Query.Length > 0 || url.Fragment.Length > 0 || publicUrl.Contains('#', StringComparison.Ordinal))
        {
            return null;
        }

        return url.AbsolutePath.EndsWith('/') ? url : new UriBuilder(url) { Path = url.AbsolutePath + "/" }.Uri;
    }
}
