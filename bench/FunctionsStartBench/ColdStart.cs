using System.Diagnostics;
using System.Globalization;
using MailHealth.Functions;
using MailHealth.Functions.Triggers;
using MailHealth.Monitor.Api;
using MailHealth.Storage;
using MailHealth.Storage.Configuration;
using MailHealth.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MailHealth.Bench;

/// <summary>
/// One cold start of the worker in a new process: the host built as Program.cs builds it
/// (<see cref="MailHealthFunctionsApp.Build"/>), its tables and queues made ready, then an HTTP
/// function (the target list, which reads Azure Tables) invoked as the worker's ASP.NET Core
/// integration invokes it, twice. The gRPC channel to the Functions host is the one part left
/// out: no host runs here.
/// </summary>
internal static class ColdStart
{
    private const string ReadKey = "start-bench-read-key-0123456789";

    /// <summary>Milliseconds: the whole (new process to the first answer, measured by the parent) and each stage in the child.</summary>
    public sealed record Stages(double Total, double ToMain, double Build, double Initialize, double FirstInvocation, double SecondInvocation);

    public static async Task RunAsync()
    {
        var clock = Stopwatch.StartNew();
        // The process's age when Main began: the runtime's own start.
        var toMain = (Stopwatch.GetTimestamp() - StartTimestamp()) * 1000.0 / Stopwatch.Frequency;
        var prefix = PeerStorage.UniquePrefix('s');
        var settings = new Dictionary<string, string?>
        {
            [FunctionsSettings.StorageConnection] = Peers.AzuriteConnectionString,
            [FunctionsSettings.ScheduleSetting] = FunctionsSettings.DefaultSchedule,
            [FunctionsSettings.ProbeQueueSetting] = prefix + "-probes",
            [FunctionsSettings.NotificationQueueSetting] = prefix + "-notifications",
            [FunctionsSettings.ReportQueueSetting] = prefix + "-reports",
            ["MailHealth:Storage:ReportContainerName"] = prefix + "-reports",
            ["MailHealth:Storage:TablePrefix"] = prefix,
            ["MailHealth:Dns:Servers:0"] = RecursivePeer.Endpoint.ToString(),
            ["MailHealth:Api:ReadKeys:0"] = ReadKey,
            ["MailHealth:Api:AdminKeys:0"] = ReadKey + "-admin",
        };
        using var host = MailHealthFunctionsApp.Build([], configuration => configuration.AddInMemoryCollection(settings));
        var built = clock.Elapsed.TotalMilliseconds;
        await host.Services.GetRequiredService<StorageInitializer>().InitializeAsync();
        var initialized = clock.Elapsed.TotalMilliseconds;
        var api = ActivatorUtilities.CreateInstance<HttpApi>(host.Services);
        await InvokeAsync(api, host.Services);
        var first = clock.Elapsed.TotalMilliseconds;
        // The parent stops its clock at this line.
        Console.WriteLine("answered");
        await InvokeAsync(api, host.Services);
        var second = clock.Elapsed.TotalMilliseconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{toMain} {built} {initialized - built} {first - initialized} {second - first}"));
        await PeerStorage.DeleteAsync(host.Services.GetRequiredService<StorageAccount>());
    }

    /// <summary>Runs one cold start in a new process: the parent's clock from the process start to the first answer.</summary>
    public static async Task<Stages> SpawnAsync(string dll)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("child");
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        double total = 0;
        string? stages = null;
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line == "answered")
            {
                total = clock.Elapsed.TotalMilliseconds;
            }
            else
            {
                stages = line;
            }
        }

        await process.WaitForExitAsync();
        if (process.ExitCode != 0 || stages is null)
        {
            throw new InvalidOperationException($"the cold start failed ({process.ExitCode}): {await errors}");
        }

        var numbers = stages.Split(' ').Select(n => double.Parse(n, CultureInfo.InvariantCulture)).ToArray();
        return new Stages(total, numbers[0], numbers[1], numbers[2], numbers[3], numbers[4]);
    }

    private static async Task InvokeAsync(HttpApi api, IServiceProvider services)
    {
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Method = "GET";
        context.Request.Path = "/api/targets";
        context.Request.Headers["x-functions-key"] = ReadKey;
        context.Response.Body = new MemoryStream();
        var result = await api.ListTargetsAsync(context.Request, CancellationToken.None);
        await result.ExecuteAsync(context);
        if (context.Response.StatusCode != StatusCodes.Status200OK)
        {
            throw new InvalidOperationException($"the target list answered {context.Response.StatusCode}");
        }
    }

    /// <summary>The Stopwatch timestamp of the process's start, from /proc/self/stat's start time (clock ticks since boot).</summary>
    private static long StartTimestamp()
    {
        var fields = File.ReadAllText("/proc/self/stat");
        var startTicks = long.Parse(fields[(fields.LastIndexOf(')') + 2)..].Split(' ')[19], CultureInfo.InvariantCulture);
        var uptime = double.Parse(File.ReadAllText("/proc/uptime").Split(' ')[0], CultureInfo.InvariantCulture);
        var age = uptime - (startTicks / 100.0);
        return Stopwatch.GetTimestamp() - (long)(age * Stopwatch.Frequency);
    }
}
