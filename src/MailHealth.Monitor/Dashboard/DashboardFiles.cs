using System.Reflection;
using System.Text;
using System.Text.Json;
using MailHealth.Monitor.Api;
using MailHealth.Monitor.Findings;
using Microsoft.AspNetCore.Http;

namespace MailHealth.Monitor.Dashboard;

/// <summary>One file of the dashboard: its bytes, content type and strong ETag (a digest of the bytes).</summary>
public sealed record DashboardFile(string Path, ReadOnlyMemory<byte> Content, string ContentType, string ETag);

/// <summary>
/// The web dashboard's files, embedded in this assembly (Dashboard/wwwroot, uPlot from npm, and
/// <c>findings.json</c> made once from <see cref="FindingFixes.Catalogue"/>), answered by path for any host:
/// <c>serve</c> maps them with <see cref="DashboardEndpoints.MapMailHealthDashboard"/>, the
/// Functions app calls <see cref="GetAsync"/> from one anonymous HTTP function. The files are
/// public (no data, no key): the page asks for a key and reads everything from the keyed API.
/// </summary>
public sealed class DashboardFiles
{
    /// <summary>The file answered for the dashboard's root (an empty path or <c>/</c>).</summary>
    public const string IndexPath = "index.html";

    /// <summary>The fix text of every finding code, as JSON (<c>{"CODE": "how to fix"}</c>).</summary>
    public const string FindingsPath = "findings.json";

    private const string ResourcePrefix = "Dashboard/";

    // script and style only from the page's own origin (uPlot styles through the CSSOM, which
    // style-src does not restrict); data only from the same origin's API; never framed.
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static readonly Lazy<DashboardFiles> Embedded = new(() => Load(typeof(DashboardFiles).Assembly));

    private readonly Dictionary<string, DashboardFile> _files;

    private DashboardFiles(Dictionary<string, DashboardFile> files, IReadOnlyDictionary<string, string> fixes)
    {
        _files = files;
        Fixes = fixes;
    }

    /// <summary>The files embedded in MailHealth.Monitor, loaded once.</summary>
    public static DashboardFiles Default => Embedded.Value;

    /// <summary>Every path served, relative to the dashboard's root (<c>index.html</c>, <c>app.js</c>...).</summary>
    public IReadOnlyCollection<string> Paths => _files.Keys;

    /// <summary>The fix text per finding code, from docs/findings.md.</summary>
    public IReadOnlyDictionary<string, string> Fixes { get; }

    /// <summary>The file at <paramref name="path"/> (an empty path or <c>/</c> is the index), or null.</summary>
    public DashboardFile? Find(string? path)
    {
        var name = (path ?? string.Empty).TrimStart('/');
        if (name.Length == 0)
        {
            name = IndexPath;
        }

        return _files.GetValueOrDefault(name);
    }

    /// <summary>
    /// Answers a GET of <paramref name="path"/> (relative to the dashboard's root): the file with its
    /// content type, ETag and <c>Cache-Control: no-cache</c> (revalidated each time, 304 when
    /// unchanged), a 404 for an unknown path. The root asked without its trailing slash is
    /// redirected to it, so the page's relative asset URLs work under any prefix.
    /// </summary>
    public Task<IResult> GetAsync(string? path, HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        if (string.IsNullOrEmpty(path) && request.Path.HasValue && !request.Path.Value.EndsWith('/'))
        {
            return Task.FromResult(Results.Redirect(request.PathBase + request.Path + "/" + request.QueryString));
        }

        if (Find(path) is not { } file)
        {
            return Task.FromResult(ApiProblem.NotFound($"the dashboard has no file '{ApiQuery.Shorten(path ?? string.Empty)}'"));
        }

        return Task.FromResult<IResult>(new FileResult(file));
    }

    /// <summary>Loads the files embedded in <paramref name="assembly"/> (resources named <c>Dashboard/...</c>).</summary>
    public static DashboardFiles Load(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var files = new Dictionary<string, DashboardFile>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            var name = resource[ResourcePrefix.Length..];
            files[name] = File(name, Read(assembly, resource));
        }

        var fixes = FindingFixes.Catalogue;
        files[FindingsPath] = File(FindingsPath, JsonSerializer.SerializeToUtf8Bytes(fixes));
        if (!files.ContainsKey(IndexPath))
        {
            throw new InvalidOperationException($"the dashboard's {IndexPath} is not embedded in {assembly.GetName().Name}");
        }

        return new DashboardFiles(files, fixes);
    }

    /// <summary>The content type answered for a file name's extension.</summary>
    public static string ContentTypeOf(string name) => Path.GetExtension(name).ToLowerInvariant() switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".json" => "application/json; charset=utf-8",
        ".svg" => "image/svg+xml",
        ".png" => "image/png",
        ".ico" => "image/x-icon",
        ".txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    };

    private static DashboardFile File(string name, byte[] content) => new(name, content, ContentTypeOf(name), EntityTags.Of(content));

    private static byte[] Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"resource '{resource}' is not embedded in {assembly.GetName().Name}");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }


    /// <summary>The file, or 304 when the client's copy (If-None-Match) is current; headers that keep the page to its own origin.</summary>
    private sealed class FileResult(DashboardFile file) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            ArgumentNullException.ThrowIfNull(httpContext);
            var response = httpContext.Response;
            response.Headers.ETag = file.ETag;
            response.Headers.CacheControl = "no-cache";
            response.Headers.XContentTypeOptions = "nosniff";
            response.Headers["Referrer-Policy"] = "no-referrer";
            if (file.ContentType.StartsWith("text/html", StringComparison.Ordinal))
            {
                response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
            }

            if (EntityTags.Matches(httpContext.Request, file.ETag))
            {
                response.StatusCode = StatusCodes.Status304NotModified;
                return;
            }

            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = file.ContentType;
            response.ContentLength = file.Content.Length;
            await response.Body.WriteAsync(file.Content, httpContext.RequestAborted).ConfigureAwait(false);
        }
    }
}
