using System.Reflection;
using System.Text;
using MailHealth.Functions.Triggers;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Primitives;

namespace MailHealth.Functions.Tests;

/// <summary>
/// HTTP functions invoked as the worker's ASP.NET Core integration invokes them: a request's
/// HttpContext in (services from the app's container), the returned IResult executed on it.
/// </summary>
internal static class FunctionRequests
{
    /// <summary>A request to <paramref name="path"/>; <paramref name="query"/> starts with <c>?</c> when given.</summary>
    public static HttpRequest Request(FunctionsHarness app, string method, string path, string? body = null, IReadOnlyDictionary<string, string>? headers = null, string query = "")
    {
        var context = new DefaultHttpContext { RequestServices = app.Services };
        context.Request.Method = method;
        context.Request.Path = path;
        context.Request.QueryString = new QueryString(query.Length == 0 ? null : query);
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            context.Request.Headers[name] = new StringValues(value);
        }

        if (body is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Request.ContentType = "application/json";
            context.Request.ContentLength = bytes.Length;
            context.Request.Body = new MemoryStream(bytes);
        }

        context.Response.Body = new MemoryStream();
        return context.Request;
    }

    /// <summary>A request carrying the harness's admin key, as a caller allowed everything sends it.</summary>
    public static HttpRequest AdminRequest(FunctionsHarness app, string method, string path, string? body = null) =>
        Request(app, method, path, body, new Dictionary<string, string> { ["x-functions-key"] = FunctionsHarness.AdminKey });

    /// <summary>Executes what <paramref name="function"/> returned on the request's context: status, content type, body.</summary>
    public static async Task<(int Status, string ContentType, string Body)> AnswerAsync(HttpRequest request, Task<IResult> function)
    {
        var context = request.HttpContext;
        await (await function).ExecuteAsync(context);
        context.Response.Body.Position = 0;
        var body = await new StreamReader(context.Response.Body).ReadToEndAsync();
        return (context.Response.StatusCode, context.Response.ContentType ?? "", body);
    }

    /// <summary>Calls the <see cref="HttpApi"/> function named <paramref name="name"/> (its <c>[Function]</c> name) with the request and, for a route with one, its id.</summary>
    public static Task<IResult> InvokeAsync(FunctionsHarness app, string name, HttpRequest request, string? id)
    {
        var method = typeof(HttpApi).GetMethods().Single(m => m.GetCustomAttribute<FunctionAttribute>()?.Name == name);
        object?[] arguments = [.. method.GetParameters().Select<ParameterInfo, object?>(p => p.ParameterType == typeof(HttpRequest) ? request
            : p.ParameterType == typeof(CancellationToken) ? CancellationToken.None
            : p.Name == "id" ? id : throw new InvalidOperationException($"{name}: no value for {p.Name}"))];
        return (Task<IResult>)method.Invoke(app.Function<HttpApi>(), arguments)!;
    }
}
