using System.Collections.Concurrent;
using System.Diagnostics;
using MailHealth.Checks;
using MailHealth.Mx;
using MailHealth.Network;
using MailHealth.Smtp;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MailHealth.Bench;

/// <summary>
/// Where a run's time goes, seen from inside the process without changing the product: every
/// check is wrapped in a timer, the shared stages every check waits on (the MX lookup, the mail
/// hosts' addresses, the SMTP probes) are timed through <see cref="CheckServices"/>, and a sampler
/// reads every 10 ms what could make a run wait: the thread pool's queue, the process-wide
/// <see cref="NetworkLimiter"/>, and the runs whose own bound (CheckOptions.MaxConcurrency) is
/// taken in full.
/// </summary>
internal sealed class RunTimeline : IAsyncDisposable
{
    private readonly ConcurrentBag<Span> _spans = [];
    private readonly ConcurrentDictionary<CheckContext, int> _live = new();
    private readonly ConcurrentBag<Sample> _samples = [];
    private readonly NetworkLimiter _network = new(NetworkLimiter.DefaultMaxConcurrency);
    private readonly CancellationTokenSource _stop = new();
    private Task _sampling = Task.CompletedTask;

    /// <summary>One timed piece of one target's run: a check or a shared stage.</summary>
    public sealed record Span(string Target, string Name, long Start, long End)
    {
        public double Milliseconds => Stopwatch.GetElapsedTime(Start, End).TotalMilliseconds;
    }

    /// <summary>What the sampler saw at one moment.</summary>
    public sealed record Sample(long PendingWorkItems, int Threads, int NetworkInUse, int LiveRuns, int RunsAtTheirBound);

    public IReadOnlyCollection<Span> Spans => _spans;

    public IReadOnlyCollection<Sample> Samples => _samples;

    public int NetworkCapacity => _network.MaxConcurrency;

    /// <summary>Wraps the checks and the shared stages of a composed checker, and owns its network bound.</summary>
    public void Instrument(IServiceCollection services)
    {
        foreach (var descriptor in services.Where(d => d.ServiceType == typeof(ICheck)).ToList())
        {
            services.Remove(descriptor);
            services.AddSingleton<ICheck>(sp => new TimedCheck(Create(sp, descriptor), this));
        }

        var real = CheckServices.Default;
        services.Replace(ServiceDescriptor.Singleton(new CheckServices(
            (context, ct) => TimeAsync(context, "stage: mx lookup", () => real.LookupMx(context, ct)),
            (context, ct) => TimeAsync(context, "stage: mail hosts", () => real.ResolveMailHosts(context, ct)),
            (context, ct) => TimeAsync(context, "stage: smtp probes", () => real.ProbeSmtp(context, ct)))));
        services.Replace(ServiceDescriptor.Singleton(_network));
        _sampling = SampleAsync(_stop.Token);
    }

    private static ICheck Create(IServiceProvider services, ServiceDescriptor descriptor) =>
        descriptor.ImplementationInstance as ICheck
        ?? descriptor.ImplementationFactory?.Invoke(services) as ICheck
        ?? (ICheck)ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!);

    private async Task<T> TimeAsync<T>(CheckContext context, string name, Func<Task<T>> stage)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            return await stage();
        }
        finally
        {
            _spans.Add(new Span(context.Target.Id, name, start, Stopwatch.GetTimestamp()));
        }
    }

    private async Task SampleAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                var live = _live.Keys.ToList();
                _samples.Add(new Sample(
                    ThreadPool.PendingWorkItemCount,
                    ThreadPool.ThreadCount,
                    _network.InUse,
                    live.Count,
                    live.Count(c => c.Concurrency.CurrentCount == 0)));
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped with the timeline.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _sampling;
        _stop.Dispose();
        _network.Dispose();
    }

    /// <summary>A check, timed, and its run counted as live while any of its checks runs.</summary>
    private sealed class TimedCheck(ICheck inner, RunTimeline timeline) : ICheck
    {
        public string Kind => inner.Kind;

        public async Task<IReadOnlyList<CheckResult>> RunAsync(CheckContext context, CancellationToken cancellationToken)
        {
            timeline._live.AddOrUpdate(context, 1, (_, n) => n + 1);
            try
            {
                return await timeline.TimeAsync(context, "check: " + inner.Kind, () => inner.RunAsync(context, cancellationToken));
            }
            finally
            {
                if (timeline._live.AddOrUpdate(context, 0, (_, n) => n - 1) == 0)
                {
                    timeline._live.TryRemove(KeyValuePair.Create(context, 0));
                }
            }
        }
    }
}
