// Report parsing at scale, in process, no peers: a generated Google-shaped aggregate report of
// ROWS rows (default 900,000) over SOURCES distinct source addresses (default 20,000), gzipped
// into a file, then read through ReportInputReader with the default caps while its records are
// summed as the ingestion pipeline will aggregate them; then a gzip bomb against the default
// decompression cap. Prints sizes, rows/s, the GC heap and the process's peak RSS during each
// read (VmHWM, reset before it through /proc/self/clear_refs).
//   dotnet run -c Release --project bench/ReportBench [-- ROWS [SOURCES]]
// With --import, the whole pipeline on the peers' Azurite instead (ImportBench.cs):
//   dotnet run -c Release --project bench/ReportBench -- --import [--reports 10000] [--rows 1000000]
//     [--large 900000] [--large-sources 20000] [--parallel 8] [--only files|imap|large] [--cli PATH]
using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using MailHealth.ReceiverReports;
using MailHealth.Testing.Reports;

if (args is ["--import", ..])
{
    await MailHealth.Bench.Reports.ImportBench.RunAsync(args[1..]);
    return;
}

var rows = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 900_000;
var sources = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20_000;
var day = new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero);
var folder = Directory.CreateTempSubdirectory("report-bench-").FullName;
try
{
    var file = Path.Combine(folder, "large.xml.gz");
    await using (var output = File.Create(file))
    await using (var gzip = new GZipStream(output, CompressionLevel.Optimal))
    {
        AggregateXml.Write(Reporters.Google("example.com", day, AggregateRows.Mixed("example.com", rows, sources)), gzip);
    }

    var xmlBytes = ExpandedLength(file);

    var gzipBytes = new FileInfo(file).Length;
    Print($"report: {rows:N0} rows from {sources:N0} sources, {xmlBytes / 1e6:N1} MB of XML, {gzipBytes / 1e6:N1} MB gzipped");

    await MeasureAsync("parse", file, async reader =>
    {
        long records = 0, messages = 0, passed = 0;
        await using var input = File.OpenRead(file);
        await foreach (var report in reader.ReadAsync(input, CancellationToken.None))
        {
            foreach (var record in report.Aggregate?.Records ?? [])
            {
                records++;
                messages += record.Count;
                passed += record.DmarcPass ? record.Count : 0;
            }

            if (report.Status != ReceivedReportStatus.Parsed)
            {
                return $"invalid: {report.Reason}";
            }
        }

        return string.Create(CultureInfo.InvariantCulture, $"{records:N0} records, {messages:N0} messages, {passed:N0} passed");
    }, rows);

    var bomb = Path.Combine(folder, "bomb.xml.gz");
    await File.WriteAllBytesAsync(bomb, HostileInputs.GzipBomb(4L << 30));
    Print($"bomb: {new FileInfo(bomb).Length / 1e6:N1} MB gzipped, 4,295 MB expanded, against MaxDecompressedBytes {new ReceiverReportSettings().MaxDecompressedBytes:N0}");
    await MeasureAsync("bomb", bomb, async reader =>
    {
        await using var input = File.OpenRead(bomb);
        await foreach (var report in reader.ReadAsync(input, CancellationToken.None))
        {
            return $"{report.Status}: {report.Reason}";
        }

        return "nothing";
    }, rows: 0);
}
finally
{
    Directory.Delete(folder, recursive: true);
}

static async Task MeasureAsync(string name, string file, Func<ReportInputReader, Task<string>> read, long rows)
{
    GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
    await File.WriteAllTextAsync("/proc/self/clear_refs", "5");
    var baseline = Status("VmRSS");
    var allocated = GC.GetTotalAllocatedBytes(precise: true);
    var clock = Stopwatch.StartNew();
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var outcome = await read(new ReportInputReader(new ReceiverReportSettings()));
    var elapsed = clock.Elapsed.TotalSeconds;
    var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
    var rate = rows > 0 ? string.Create(CultureInfo.InvariantCulture, $", {rows / elapsed:N0} rows/s") : "";
    Print($"{name}: {outcome}");
    Print($"{name}: {elapsed:N2} s wall, {cpuSeconds:N2} s CPU{rate}; RSS {baseline / 1024:N0} MB before, peak {Status("VmHWM") / 1024:N0} MB during");
    Print($"{name}: {(GC.GetTotalAllocatedBytes(precise: true) - allocated) / 1e6:N0} MB allocated in all, GC heap {GC.GetGCMemoryInfo().HeapSizeBytes / 1e6:N1} MB after");
}

static long Status(string field) =>
    long.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);

/// <summary>How long the XML in a gzip file is, read through and counted.</summary>
static long ExpandedLength(string file)
{
    using var gzip = new GZipStream(File.OpenRead(file), CompressionMode.Decompress);
    var buffer = new byte[1 << 16];
    long length = 0;
    int read;
    while ((read = gzip.Read(buffer)) > 0)
    {
        length += read;
    }

    return length;
}

static void Print(FormattableString line) => Console.WriteLine(line.ToString(CultureInfo.InvariantCulture));
