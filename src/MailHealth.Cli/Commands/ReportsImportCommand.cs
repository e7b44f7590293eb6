using System.CommandLine;
using System.Runtime.ExceptionServices;
using MailHealth.Cli.Rendering;
using MailHealth.Cli.Serve;
using MailHealth.Monitor;
using MailHealth.Monitor.ReceiverReports;
using MailHealth.ReceiverReports;
using MailHealth.Storage.Availability;
using MailHealth.Storage.Configuration;
using MailHealth.Storage.ReceiverReports;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MailHealth.Cli.Commands;

/// <summary>
/// <c>mailhealth reports import FILE... [--config FILE] [--parallel N] [--no-naming]</c>: stores each file as the mailbox would,
/// through the same ingestion (<see cref="ReportIngestion.IngestAsync"/>): the input is kept as it
/// came and each report in it stored once, at once, so the command can say what became of each
/// (stored, duplicate, invalid and why), and each stored report's sources are named right after
/// its commit, as the hosts name them (unless <c>--no-naming</c>). Storage and the resolver from
/// the config file and the environment, as <c>serve</c> reads them (the local Azurite when no
/// storage is named). Exit 0 when every report was
/// stored or is a duplicate, 1 when an input or a report in it is invalid, 2 on bad usage (no
/// file, a file that cannot be read, a bad setting), 3 when storage failed (what was committed
/// stays; importing again finishes the rest).
/// </summary>
internal static class ReportsImportCommand
{
    public static Command Create(TextWriter output, TextWriter error, TimeProvider time)
    {
        var files = new Argument<string[]>("FILE")
        {
            Description = "Files to store: e-mail messages (.eml), zip, gzip, XML or JSON, recognised from their bytes.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var config = CommonOptions.Config();
        var parallel = new Option<int>("--parallel")
        {
            Description = "Files stored at once (1-64). Each is read whole into memory, up to the message cap; what is printed keeps the files' order.",
            DefaultValueFactory = _ => DefaultParallel,
        };
        parallel.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 64)
            {
                result.AddError("--parallel must be from 1 to 64");
            }
        });
        var noNaming = CommonOptions.NoNaming();
        var command = new Command("import", "Store report files as the mailbox would, name their sources, and say what became of each report. Exit 0: all stored or duplicates; 1: an input is invalid; 2: bad usage; 3: storage failed.")
        {
            files, config, parallel, noNaming,
        };

        command.SetAction(async (parse, cancellationToken) =>
        {
            var paths = await ReportFiles.CheckedAsync(parse.GetValue(files)).ConfigureAwait(false);

            await using var services = await ComposeAsync(parse.GetValue(config), !parse.GetValue(noNaming), time, cancellationToken).ConfigureAwait(false);
            var ingestion = services.GetRequiredService<ReportIngestion>();
            var writer = new ReportOutcomeTextWriter(output);
            var outcomes = new List<ReportOutcome>();
            try
            {
                await InitializeStorageAsync(services, cancellationToken).ConfigureAwait(false);
                await ImportAllAsync(ingestion, paths, parse.GetValue(parallel), async (path, record) =>
                {
                    await writer.WriteAsync(path, record, cancellationToken).ConfigureAwait(false);
                    outcomes.AddRange(record.Reports);
                }, cancellationToken).ConfigureAwait(false);
            }
            catch (StorageUnavailableException e)
            {
                await error.WriteLineAsync($"mailhealth: storage failed: {e.Message}; what was stored stays, and importing again finishes the rest").ConfigureAwait(false);
                return ExitCodes.StorageUnavailable;
            }

            await SenderNamingText.WriteAsync(output, services).ConfigureAwait(false);
            await writer.WriteTotalsAsync(paths.Length, outcomes).ConfigureAwait(false);
            return outcomes.Any(o => o.Status == ReportOutcomeStatus.Invalid) ? ExitCodes.InvalidInput : ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>
    /// Files stored at once by default: a report's storing is mostly waiting on storage (a handful
    /// of round trips), so a few at once keep a core busy; each holds its file in memory.
    /// </summary>
    private const int DefaultParallel = 8;

    /// <summary>
    /// Stores <paramref name="paths"/>, at most <paramref name="parallel"/> at once, and hands each
    /// record to <paramref name="done"/> in the files' order. The first storage failure stops the
    /// rest (what was committed stays) and is thrown.
    /// </summary>
    private static async Task ImportAllAsync(
        ReportIngestion ingestion, string[] paths, int parallel, Func<string, ReportInputRecord, Task> done, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var slots = new SemaphoreSlim(parallel);
        var imports = paths.Select(async path =>
        {
            await slots.WaitAsync(stop.Token).ConfigureAwait(false);
            try
            {
                return await ImportAsync(ingestion, path, stop.Token).ConfigureAwait(false);
            }
            catch
            {
                await stop.CancelAsync().ConfigureAwait(false);
                throw;
            }
            finally
            {
                slots.Release();
            }
        }).ToList();
        try
        {
            for (var i = 0; i < paths.Length; i++)
            {
                await done(paths[i], await imports[i].ConfigureAwait(false)).ConfigureAwait(false);
            }
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Tell the failure that stopped the others (an earlier file may only have been
            // cancelled by it), once every import has finished or stopped: none writes after.
            await ((Task)Task.WhenAll(imports)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            var failure = imports.Select(t => t.Exception?.InnerException).FirstOrDefault(e => e is not null and not OperationCanceledException);
            if (failure is not null)
            {
                ExceptionDispatchInfo.Throw(failure);
            }

            throw;
        }
    }

    /// <summary>Makes the tables, queues and container the storage lacks, within the storage deadline.</summary>
    internal static Task InitializeStorageAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<StorageDeadline>().RunAsync(
            services.GetRequiredService<IOptions<MonitorSettings>>().Value.StorageDeadline,
            services.GetRequiredService<StorageInitializer>().InitializeAsync,
            cancellationToken);

    /// <summary>Stores one file; a file over the message cap is refused unread and nothing of it stored.</summary>
    private static async Task<ReportInputRecord> ImportAsync(ReportIngestion ingestion, string path, CancellationToken cancellationToken)
    {
        await using var stream = ReportFiles.Open(path);
        if (stream.Length > ingestion.MaxInputBytes)
        {
            return new ReportInputRecord
            {
                Input = "(not stored)",
                ReceivedAt = default,
                Door = ReportDoors.Cli,
                Bytes = stream.Length,
                Reports = [new ReportOutcome
                {
                    Status = ReportOutcomeStatus.Invalid,
                    Reason = ReceiverReportSettings.Refusal(nameof(ReceiverReportSettings.MaxMessageBytes), ingestion.MaxInputBytes, "bytes") + "; nothing was stored",
                }],
            };
        }

        var raw = new byte[stream.Length];
        await stream.ReadExactlyAsync(raw, cancellationToken).ConfigureAwait(false);
        return await ingestion.IngestAsync(raw, ReportDoors.Cli, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Report ingestion on the storage the config file and the environment name, with the naming
    /// of each stored report's sources through the resolver they name when <paramref name="naming"/>,
    /// every setting validated, with what <paramref name="more"/> adds (<c>reports poll</c>: the
    /// address policy).
    /// </summary>
    internal static async Task<ServiceProvider> ComposeAsync(
        string? configPath, bool naming, TimeProvider time, CancellationToken cancellationToken, Action<IServiceCollection, IConfiguration>? more = null)
    {
        var file = configPath is null ? null : await ServeConfigFile.ReadAsync(configPath, cancellationToken).ConfigureAwait(false);
        var configuration = new ConfigurationManager();
        ServeConfigFile.AddSettings(configuration, file);
        ServeConfiguration.UseDevelopmentStorageUnlessConfigured(configuration);
        var services = new ServiceCollection();
        services.AddSingleton(time);
        // No log providers: the command says per report what happened, and what naming did.
        services.AddLogging();
        services.AddMailHealthReportIngestion(configuration);
        if (naming)
        {
            services.AddMailHealthSenderNaming(configuration);
        }

        more?.Invoke(services, configuration);
        var provider = services.BuildServiceProvider();
        if (StartupErrors.Collect(provider) is { Count: > 0 } problems)
        {
            await provider.DisposeAsync().ConfigureAwait(false);
            throw new UsageException(string.Join('\n', problems));
        }

        return provider;
    }
}
