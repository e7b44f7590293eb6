using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Net;
using MailHealth.Storage.Configuration;
using MailHealth.Storage.ReceiverReports;
using MailHealth.Testing;
using MailHealth.Testing.Mail;
using MailHealth.Testing.Reports;

namespace MailHealth.Bench.Reports;

/// <summary>
/// Issue 16, item 8: reports through the whole pipeline, as a user stores them, on an Azurite of
/// the bench's own (in memory, on $MH_NET.0.150). Generates REPORTS aggregate reports holding ROWS rows in all (receivers' shapes in
/// turn, a quarter as whole e-mail messages, the rest gzipped XML as saved from a mailbox;
/// sources from the documentation ranges; a day of the last week each) into files, then runs the
/// published CLI's <c>mailhealth reports import</c> on them: wall time, reports/s, rows/s, the
/// importer's CPU and peak RSS, and the storage requests (Azure bills each as a transaction)
/// per report, by table, container and queue, counted by a pass-through proxy in front of each
/// Azurite endpoint. The same files again: every report a duplicate. Then the same reports as
/// messages in the peers' Dovecot, read by one <c>mailhealth reports poll</c>; these runs store
/// without naming (<c>--no-naming</c>), so their figures are ingestion's. Then one report of LARGE
/// rows from LARGE_SOURCES distinct sources of brand.senders.test (<see cref="SenderPool"/>) the
/// same way, its sources named after its commit through the peers' unbound: the importer's line
/// on naming, and what storage holds of the names then.
/// </summary>
internal static class ImportBench
{
    public static async Task RunAsync(string[] args)
    {
        var reports = Option(args, "--reports", 10_000);
        var rows = Option(args, "--rows", 1_000_000);
        var large = Option(args, "--large", 900_000);
        var largeSources = Option(args, "--large-sources", 20_000);
        var domains = Option(args, "--domains", 100);
        var parallel = Option(args, "--parallel", 8);
        var only = OptionText(args, "--only");
        var cli = Path.GetFullPath(OptionText(args, "--cli") ?? "artifacts/mailhealth/mailhealth.dll");
        if (!File.Exists(cli))
        {
            throw new InvalidOperationException($"no CLI at {cli}: publish it first (dotnet publish src/MailHealth.Cli -c Release --use-current-runtime --self-contained false -o artifacts/mailhealth)");
        }

        // Azurite of the bench's own, in memory: the peers' one keeps its tables in one JSON file,
        // which V8 cannot write past about 512 MB (it crashed at some 4,500 of these reports).
        await using var azurite = await AzuriteProcess.StartAsync(Peers.Address(0, 150), inMemory: true);
        Storage = azurite.Address;
        var folder = Directory.CreateTempSubdirectory("import-bench-").FullName;
        try
        {
            if (only is null or "files")
            {
                var files = await GenerateAsync(folder, reports, rows, domains);
                Print($"files: {reports:N0} reports, {rows:N0} rows in all, over {domains} domains, {files.Sum(f => new FileInfo(f).Length) / 1e6:N1} MB on disk");
                var first = await ImportAsync(cli, files, parallel, reports, rows, "files", naming: false);
                await ImportAsync(cli, files, parallel, reports, rows, "files again (all duplicates)", naming: false, first.Prefix);
                await DeleteAsync(first.Prefix);
                foreach (var file in files)
                {
                    File.Delete(file);
                }
            }

            if (only is null or "imap")
            {
                await MailboxAsync(cli, folder, reports, rows, domains);
            }

            if (only is null or "large")
            {
                var file = Path.Combine(folder, "large.xml.gz");
                var pool = SenderPool.Take(largeSources).Select(a => a.ToString()).ToList();
                await using (var output = File.Create(file))
                await using (var gzip = new GZipStream(output, CompressionLevel.Optimal))
                {
                    var records = AggregateRows.Mixed(SenderPool.Domain, large, largeSources).Select((r, k) => r with { SourceIp = pool[k % largeSources] });
                    AggregateXml.Write(Reporters.Google(SenderPool.Domain, Yesterday(), records), gzip);
                }

                Print($"large: one report of {large:N0} rows from {largeSources:N0} sources of {SenderPool.Domain}, {new FileInfo(file).Length / 1e6:N1} MB gzipped");
                var outcome = await ImportAsync(cli, [file], 1, 1, large, "large", naming: true);
                await PrintNamesAsync(outcome.Prefix, "large");
                await DeleteAsync(outcome.Prefix);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The Azurite every run of the bench stores into.</summary>
    private static IPAddress Storage { get; set; } = IPAddress.Loopback;

    private static DateTimeOffset Yesterday() => new DateTimeOffset(TimeProvider.System.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero).AddDays(-1);

    /// <summary>The report files: <paramref name="reports"/> of them, the rows shared out evenly, each with its own report id.</summary>
    private static async Task<List<string>> GenerateAsync(string folder, int reports, int rows, int domains, bool messages = false)
    {
        var files = new List<string>(reports);
        var perReport = rows / reports;
        for (var i = 0; i < reports; i++)
        {
            var domain = $"d{i % domains}.reports.example";
            var day = Yesterday().AddDays(-(i % 7));
            // Each domain's reports see sources of their own, from a pool of 50,000 addresses.
            var offset = (i * 37 % 500) * 100;
            var records = AggregateRows.Mixed(domain, perReport, perReport).Select((r, k) => r with { SourceIp = DocumentationAddresses.Nth(offset + k) });
            // Receivers' shapes in turn: Google, Microsoft, Yahoo, RFC 9990.
            var shaped = (i % 4) switch
            {
                0 => Reporters.Google(domain, day, records),
                1 => Reporters.Microsoft(domain, day, records),
                2 => Reporters.Yahoo(domain, day, records),
                _ => Reporters.Rfc9990(domain, day, records),
            };
            var spec = shaped with { ReportId = $"bench-{i}" };
            string file;
            if (messages || i % 4 == 3)
            {
                file = Path.Combine(folder, $"r{i:D5}.eml");
                await File.WriteAllBytesAsync(file, Reporters.GoogleMessage(spec));
            }
            else
            {
                file = Path.Combine(folder, $"r{i:D5}.xml.gz");
                await using var output = File.Create(file);
                await using var gzip = new GZipStream(output, CompressionLevel.Fastest);
                AggregateXml.Write(spec, gzip);
            }

            files.Add(file);
        }

        return files;
    }

    /// <summary>
    /// The same reports as whole messages in a new user's INBOX on the peers' Dovecot (appended by
    /// the bench, not measured), then one <c>mailhealth reports poll</c> that may take them all.
    /// </summary>
    private static async Task MailboxAsync(string cli, string folder, int reports, int rows, int domains)
    {
        var user = ReportsMailbox.NewUser();
        await using (var mailbox = await ReportsMailbox.OpenAsync(user))
        {
            var files = await GenerateAsync(folder, reports, rows, domains, messages: true);
            foreach (var chunk in files.Chunk(100))
            {
                await mailbox.AppendAsync("INBOX", [.. await Task.WhenAll(chunk.Select(f => File.ReadAllBytesAsync(f)))]);
            }

            foreach (var file in files)
            {
                File.Delete(file);
            }

            Print($"imap: {reports:N0} messages in {user}'s INBOX");
        }

        var settings = ReportsMailbox.Settings(user).Concat(Peers.LoopbackNetworkSettings())
            .Append(KeyValuePair.Create("MailHealth:Mailbox:MaxMessagesPerPoll", (string?)reports.ToString(CultureInfo.InvariantCulture)));
        var outcome = await RunAsync(cli, ["reports", "poll", "--no-naming"], settings, reports, rows, "imap");
        await using (var mailbox = await ReportsMailbox.OpenAsync(user))
        {
            Print($"imap: {await mailbox.CountAsync("Processed"):N0} in Processed, {await mailbox.CountAsync("Invalid"):N0} in Invalid, {await mailbox.CountAsync("INBOX"):N0} left");
        }

        await DeleteAsync(outcome.Prefix);
    }

    private sealed record Outcome(string Prefix, double Seconds);

    /// <summary>
    /// Runs <c>reports import</c> on <paramref name="files"/> through the counting proxies and prints
    /// what it cost; with <paramref name="naming"/>, the sources are named through the resolver of
    /// <see cref="PeerStorage.Settings"/> (the peers' unbound), as the tests name them.
    /// </summary>
    private static Task<Outcome> ImportAsync(string cli, IReadOnlyList<string> files, int parallel, int reports, long rows, string name, bool naming, string? prefix = null) =>
        RunAsync(cli, ["reports", "import", "--parallel", parallel.ToString(CultureInfo.InvariantCulture), .. naming ? Array.Empty<string>() : ["--no-naming"], .. files], [], reports, rows, name, prefix);

    /// <summary>Runs the CLI with <paramref name="arguments"/> and <paramref name="settings"/> through the counting proxies and prints what it cost.</summary>
    private static async Task<Outcome> RunAsync(
        string cli, IReadOnlyList<string> arguments, IEnumerable<KeyValuePair<string, string?>> settings, int reports, long rows, string name, string? prefix = null)
    {
        prefix ??= PeerStorage.UniquePrefix('b');
        var azurite = Storage;
        await using var blobs = new StorageRequestCounter(new IPEndPoint(azurite, 10000));
        await using var queues = new StorageRequestCounter(new IPEndPoint(azurite, 10001));
        await using var tables = new StorageRequestCounter(new IPEndPoint(azurite, 10002));
        var connection = Peers.AzuriteConnectionStringAt(azurite)
            .Replace($"{azurite}:10000", $"127.0.0.1:{blobs.Endpoint.Port}", StringComparison.Ordinal)
            .Replace($"{azurite}:10001", $"127.0.0.1:{queues.Endpoint.Port}", StringComparison.Ordinal)
            .Replace($"{azurite}:10002", $"127.0.0.1:{tables.Endpoint.Port}", StringComparison.Ordinal);
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in arguments.Prepend(cli))
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in PeerStorage.Settings(prefix).Concat(settings))
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        start.Environment["MailHealth__Storage__ConnectionString"] = connection;
        var clock = Stopwatch.StartNew();
        using var import = Process.Start(start)!;
        var output = import.StandardOutput.ReadToEndAsync();
        var error = import.StandardError.ReadToEndAsync();
        long peakRssKb = 0;
        double cpu = 0;
        while (!import.HasExited)
        {
            peakRssKb = Math.Max(peakRssKb, Status(import.Id, "VmHWM"));
            cpu = Math.Max(cpu, ProcStat.CpuSeconds(import.Id));
            await Task.Delay(50);
        }

        await import.WaitForExitAsync();
        var seconds = clock.Elapsed.TotalSeconds;
        var lines = (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var totals = lines.Length > 0 ? lines[^1] : "(no output)";
        Print($"{name}: exit {import.ExitCode}, {totals}");
        foreach (var naming in lines.Where(l => l.StartsWith("sender names:", StringComparison.Ordinal)))
        {
            Print($"{name}: {naming}");
        }

        if (import.ExitCode != 0)
        {
            Print($"{name}: {(await error).Trim()}");
        }

        var requests = new[] { ("blob", blobs.Snapshot()), ("queue", queues.Snapshot()), ("table", tables.Snapshot()) };
        var all = requests.Sum(r => r.Item2.Values.Sum());
        Print($"{name}: {seconds:N1} s wall, {reports / seconds:N0} reports/s, {rows / seconds:N0} rows/s; importer CPU {cpu:N1} s, peak RSS {peakRssKb / 1024:N0} MB ({string.Join(' ', arguments.Where(a => !a.StartsWith('/')))})");
        var byName = string.Join(", ", requests
            .SelectMany(r => r.Item2.Where(p => p.Value > 0).Select(p => (Name: $"{r.Item1} {Name(p.Key, prefix)}", p.Value)))
            .GroupBy(p => p.Name, StringComparer.Ordinal)
            .Select(g => (g.Key, Value: g.Sum(p => p.Value)))
            .OrderByDescending(p => p.Value)
            .Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {(double)p.Value / reports:N2}")));
        Print($"{name}: {all:N0} storage requests, {(double)all / reports:N2} per report: {byName}");
        return new Outcome(prefix, seconds);
    }

    /// <summary>A request's key without the run's storage prefix, so the figures read the same every run.</summary>
    private static string Name(string key, string prefix)
    {
        // A blob's name is its input's hash: one line for the container, not one per input.
        var name = key.Replace(prefix, "", StringComparison.Ordinal);
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? name : name[..(slash + 1)] + "*";
    }

    /// <summary>What storage holds of the names of <see cref="SenderPool.Domain"/>'s sources after a run.</summary>
    private static async Task PrintNamesAsync(string prefix, string name)
    {
        var senders = await new DmarcSenderStore(Account(prefix)).ListAsync(SenderPool.Domain);
        var problems = string.Join(", ", senders.GroupBy(s => s.Problem).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count():N0}"));
        Print($"{name}: stored names: {senders.Count:N0} sources, {senders.Count(s => s.Confirmed):N0} confirmed, {senders.Count(s => s.SpfResult == "pass"):N0} authorised by SPF; {problems}");
    }

    /// <summary>
    /// Removes a part's tables, queues and blobs so the next part meets a small emulator; best
    /// effort: an emulator that stopped answering fails the clean-up, not the parts after it (the
    /// bench's own Azurite is stopped and its folder removed at the end either way).
    /// </summary>
    private static async Task DeleteAsync(string prefix)
    {
        try
        {
            await PeerStorage.DeleteAsync(Account(prefix)).WaitAsync(TimeSpan.FromMinutes(5));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Print($"clean-up of {prefix} failed ({e.GetType().Name}: {e.Message}); going on");
        }
    }

    private static StorageAccount Account(string prefix)
    {
        var settings = PeerStorage.Settings(prefix);
        return new StorageAccount(new StorageOptions
        {
            ConnectionString = Peers.AzuriteConnectionStringAt(Storage),
            TablePrefix = prefix,
            ProbeQueueName = settings["MailHealth:Storage:ProbeQueueName"]!,
            NotificationQueueName = settings["MailHealth:Storage:NotificationQueueName"]!,
            ReportQueueName = settings["MailHealth:Storage:ReportQueueName"]!,
            ReportContainerName = settings["MailHealth:Storage:ReportContainerName"]!,
        });
    }

    private static long Status(int pid, string field)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith(field + ":", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static int Option(string[] args, string name, int fallback) =>
        OptionText(args, name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    private static string? OptionText(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }

    private static void Print(FormattableString line) => Console.WriteLine(line.ToString(CultureInfo.InvariantCulture));
}
