using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MailHealth.Testing;

/// <summary>
/// An Azurite of a test's own, on its own loopback address and data folder, for fault tests that
/// stop and start the store (the shared peer must stay up for every other test running meanwhile).
/// Its data survives a stop, as a real account's does.
/// </summary>
public sealed class AzuriteProcess : IAsyncDisposable
{
    private readonly string _location = Directory.CreateTempSubdirectory("mailhealth-azurite").FullName;
    private Process? _process;

    private readonly bool _inMemory;

    private AzuriteProcess(IPAddress address, bool inMemory)
    {
        Address = address;
        _inMemory = inMemory;
    }

    public IPAddress Address { get; }

    public string ConnectionString => Peers.AzuriteConnectionStringAt(Address);

    /// <param name="address">Where it listens (ports 10000-10002).</param>
    /// <param name="inMemory">
    /// Nothing written to disk (<c>--inMemoryPersistence</c>): Azurite otherwise rewrites its whole
    /// table database as one JSON string, which fails past V8's longest string (about 512 MB, some
    /// 450,000 rows of report sources); benchmarks that store more use this.
    /// </param>
    public static async Task<AzuriteProcess> StartAsync(IPAddress address, bool inMemory = false)
    {
        var azurite = new AzuriteProcess(address, inMemory);
        await azurite.StartAsync();
        return azurite;
    }

    public async Task StartAsync()
    {
        // A leftover emulator on the address (a test host that crashed holding a frozen one) would
        // answer in place of this one, and every fault test on it would fail for the wrong reason.
        foreach (var port in new[] { 10000, 10001, 10002 })
        {
            if (await AnswersAsync(port))
            {
                throw new InvalidOperationException($"something already listens on {Address}:{port} (a leftover azurite from a crashed test run?); stop it first");
            }
        }

        var start = new ProcessStartInfo("azurite") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[]
        {
            "--silent", "--skipApiVersionCheck", "--disableTelemetry", "--loose",
            "--blobHost", Address.ToString(), "--queueHost", Address.ToString(), "--tableHost", Address.ToString(),
        })
        {
            start.ArgumentList.Add(arg);
        }

        // A location and memory alone do not go together (Azurite refuses the pair).
        start.ArgumentList.Add(_inMemory ? "--inMemoryPersistence" : "--location");
        if (!_inMemory)
        {
            start.ArgumentList.Add(_location);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("azurite did not start");
        _ = _process.StandardOutput.ReadToEndAsync();
        _ = _process.StandardError.ReadToEndAsync();
        foreach (var port in new[] { 10001, 10002 })
        {
            await WaitForPortAsync(port);
        }
    }

    /// <summary>
    /// Freezes the emulator (SIGSTOP): the kernel still accepts connections, nothing answers them.
    /// The store that hangs, unlike <see cref="StopAsync"/>'s store that refuses. Disposing what it
    /// returns thaws it: declared after the harnesses that use the store, it thaws before they clean
    /// up, so a failed assertion is reported as itself, not as their clean-up's outage.
    /// </summary>
    public async Task<IAsyncDisposable> FreezeAsync()
    {
        await SignalAsync("-STOP");
        return new Thawing(this);
    }

    /// <summary>Lets a frozen emulator go on (SIGCONT): it answers what waited meanwhile.</summary>
    public Task ThawAsync() => SignalAsync("-CONT");

    /// <summary>
    /// Stops the emulator (an outage of the store): its data stays on disk. SIGTERM first, since
    /// Azurite writes its database on the way out (a real account loses nothing it acknowledged).
    /// </summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            // A frozen process would keep the SIGTERM pending until the grace period ran out.
            await ThawAsync();
            await SignalAsync("-TERM");

            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }

        _process?.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(_location, recursive: true);
    }

    private async Task<bool> AnswersAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(Address, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private async Task WaitForPortAsync(int port)
    {
        for (var i = 0; i < 300; i++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(Address, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        throw new InvalidOperationException($"azurite did not listen on {Address}:{port}");
    }

    private async Task SignalAsync(string signal)
    {
        if (_process is { HasExited: false } process)
        {
            using var kill = Process.Start("kill", [signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync();
        }
    }

    private sealed class Thawing(AzuriteProcess azurite) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await azurite.ThawAsync();
    }
}
