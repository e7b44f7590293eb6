using System.Text.Json.Nodes;
using MailHealth.Storage.Configuration;
using MailHealth.Storage.ReceiverReports;
using MailHealth.Testing;
using MailHealth.Testing.Mail;
using MailHealth.Testing.Reports;

namespace MailHealth.Cli.Tests;

/// <summary>
/// <c>mailhealth reports import</c> on the peers' Azurite (storage of its own, named in a config
/// file as serve reads it): what it says of each report and its exit codes.
/// </summary>
public sealed class ReportsImportCommandTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mailhealth-import-").FullName;
    private readonly string _prefix;
    private readonly StorageAccount _account;

    public ReportsImportCommandTests()
    {
        _prefix = PeerStorage.UniquePrefix('i');
        var settings = PeerStorage.Settings(_prefix);
        _account = new StorageAccount(new StorageOptions
        {
            ConnectionString = Peers.AzuriteConnectionString,
            TablePrefix = _prefix,
            ProbeQueueName = settings["MailHealth:Storage:ProbeQueueName"]!,
            NotificationQueueName = settings["MailHealth:Storage:NotificationQueueName"]!,
            ReportQueueName = settings["MailHealth:Storage:ReportQueueName"]!,
            ReportContainerName = settings["MailHealth:Storage:ReportContainerName"]!,
        });
    }

    // The storage is made here as the command makes it, so the clean-up finds every part of it.
    public Task InitializeAsync() => new StorageInitializer(_account).InitializeAsync();

    public async Task DisposeAsync()
    {
        await PeerStorage.DeleteAsync(_account);
        Directory.Delete(_folder, recursive: true);
    }

    private string File(string name, byte[] content)
    {
        var path = Path.Combine(_folder, name);
        System.IO.File.WriteAllBytes(path, content);
        return path;
    }

    /// <summary>A config file naming the storage of <paramref name="settings"/> (flat <c>A:B:C</c> keys, nested in the file).</summary>
    private string Config(IReadOnlyDictionary<string, string?> settings)
    {
        var root = new JsonObject();
        foreach (var (key, value) in settings)
        {
            var node = root;
            var parts = key.Split(':');
            foreach (var part in parts[..^1])
            {
                node = (node[part] ??= new JsonObject()).AsObject();
            }

            node[parts[^1]] = value;
        }

        return File("mailhealth.json", System.Text.Encoding.UTF8.GetBytes(root.ToJsonString()));
    }

    private string Config() => Config(PeerStorage.Settings(_prefix));

    private string GoogleMessage(string name = "google.eml") =>
        File(name, Reporters.GoogleMessage(Reporters.Google("import.example", TestClock.Yesterday, AggregateRows.Mixed("import.example", 14, 5))));

    [Fact]
    public async Task Report_Stored_ThenTheSameAgain_IsADuplicate_BothExit0()
    {
        var config = Config();
        var message = GoogleMessage();

        var first = await CliRunner.RunAsync("reports", "import", message, "--config", config);
        var again = await CliRunner.RunAsync("reports", "import", message, "--config", config);

        Assert.Equal((ExitCodes.Ok, ""), (first.ExitCode, first.Error));
        Assert.StartsWith($"{message} (", first.Output, StringComparison.Ordinal);
        Assert.Contains("): DMARC aggregate report, stored\n", first.Output, StringComparison.Ordinal);
        Assert.Contains("no target monitors import.example: kept", first.Output, StringComparison.Ordinal);
        Assert.EndsWith("1 file: 1 stored, 0 duplicate, 0 invalid\n", first.Output, StringComparison.Ordinal);
        Assert.Equal((ExitCodes.Ok, ""), (again.ExitCode, again.Error));
        Assert.Contains("): DMARC aggregate report, duplicate: the same input was received on", again.Output, StringComparison.Ordinal);
        Assert.EndsWith("1 file: 0 stored, 1 duplicate, 0 invalid\n", again.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InputThatIsNoReport_IsInvalidWithItsReason_Exit1_TheOthersStored()
    {
        var config = Config();
        var bounce = File("bounce.eml", "From: MAILER-DAEMON@example.net\r\nSubject: Undelivered Mail\r\n\r\nThe mail could not be delivered.\r\n"u8.ToArray());
        var message = GoogleMessage();

        var outcome = await CliRunner.RunAsync("reports", "import", bounce, message, "--config", config);

        Assert.Equal(ExitCodes.InvalidInput, outcome.ExitCode);
        Assert.Contains($"{bounce}: invalid: ", outcome.Output, StringComparison.Ordinal);
        Assert.Contains($"{message} (", outcome.Output, StringComparison.Ordinal);
        Assert.Contains("): DMARC aggregate report, stored\n", outcome.Output, StringComparison.Ordinal);
        Assert.EndsWith("2 files: 1 stored, 0 duplicate, 1 invalid\n", outcome.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ManyFiles_StoredSeveralAtOnce_ToldInTheFilesOrder()
    {
        var config = Config();
        var reports = Enumerable.Range(0, 12).Select(i => File($"r{i:D2}.xml", AggregateXml.Bytes(
            Reporters.Yahoo($"d{i}.import.example", TestClock.Yesterday, AggregateRows.Mixed($"d{i}.import.example", 3, 3))))).ToList();
        var bounce = File("bounce.eml", "From: MAILER-DAEMON@example.net\r\nSubject: Undelivered Mail\r\n\r\nThe mail could not be delivered.\r\n"u8.ToArray());
        string[] files = [.. reports[..6], bounce, .. reports[6..], reports[0]];

        var outcome = await CliRunner.RunAsync(["reports", "import", .. files, "--parallel", "4", "--config", config]);

        Assert.Equal(ExitCodes.InvalidInput, outcome.ExitCode);
        var told = outcome.Output.Split('\n').Where(l => l.StartsWith(_folder, StringComparison.Ordinal)).Select(l => l[..l.IndexOfAny([' ', ':'])]).ToList();
        Assert.Equal(files, told);
        Assert.EndsWith("14 files: 12 stored, 1 duplicate, 1 invalid\n", outcome.Output, StringComparison.Ordinal);
    }

    /// <summary>
    /// brand.senders.test's report (the peers' reverse zones and its SPF record: two includes, an
    /// ip4 range, an a term, -all): a provider the SPF record includes, a forged PTR, an address
    /// without one, one the ip4 range authorises.
    /// </summary>
    private string BrandReport(string reportId)
    {
        const string domain = "brand.senders.test";
        var rows = new[] { "192.0.2.201", "192.0.2.204", "192.0.2.205", "198.51.100.220" }
            .Select(ip => new AggregateRow { SourceIp = ip, Count = "5", HeaderFrom = domain });
        return File($"{reportId}.xml", AggregateXml.Bytes(Reporters.Google(domain, TestClock.Yesterday, rows) with { ReportId = reportId }));
    }

    [Fact]
    public async Task StoredReport_ItsSourcesAreNamedRightAfter_ThroughTheConfiguredResolver_ThenNotAgain()
    {
        var config = Config();

        var first = await CliRunner.RunAsync("reports", "import", BrandReport("brand-1"), "--config", config);

        Assert.Equal((ExitCodes.Ok, ""), (first.ExitCode, first.Error));
        Assert.Contains("\nsender names: 4 sources, 4 to name, 4 named in ", first.Output, StringComparison.Ordinal);
        var senders = (await new DmarcSenderStore(_account).ListAsync("brand.senders.test")).ToDictionary(s => s.Ip);
        Assert.Equal(4, senders.Count);
        var provider = senders["192.0.2.201"];
        Assert.Equal(("o201.out.mailer.senders.test", true, "include:_spf.mailer.senders.test"), (provider.PtrName, provider.Confirmed, provider.SpfTerm));
        Assert.Equal(("forged.mailer.senders.test", false, "fail"), (senders["192.0.2.204"].PtrName, senders["192.0.2.204"].Confirmed, senders["192.0.2.204"].SpfResult));
        Assert.Equal(("NoPtr", null), (senders["192.0.2.205"].Problem, senders["192.0.2.205"].PtrName));
        Assert.Equal("ip4:198.51.100.220/30", senders["198.51.100.220"].SpfTerm);
        Assert.All(senders.Values, s => Assert.NotNull(s.NamedAt));

        // Another report of the same sources: their names stand, nothing is asked again.
        var second = await CliRunner.RunAsync("reports", "import", BrandReport("brand-2"), "--config", config);

        Assert.Contains("\nsender names: 4 sources, 0 to name, 0 named in ", second.Output, StringComparison.Ordinal);
        Assert.Equal(senders["192.0.2.201"].NamedAt, (await new DmarcSenderStore(_account).ListAsync("brand.senders.test")).Single(s => s.Ip == "192.0.2.201").NamedAt);
    }

    [Fact]
    public async Task NoNaming_StoresTheReport_AndNamesNone_AskingNoResolver()
    {
        // No resolver there: nothing is asked of it without naming.
        var settings = PeerStorage.Settings(_prefix);
        settings["MailHealth:Dns:Servers:0"] = Peers.Address(0, 254) + ":53";

        var outcome = await CliRunner.RunAsync("reports", "import", BrandReport("brand-quiet"), "--no-naming", "--config", Config(settings));

        Assert.Equal((ExitCodes.Ok, ""), (outcome.ExitCode, outcome.Error));
        Assert.Contains("brand-quiet.xml: DMARC aggregate report, stored\n", outcome.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("sender names", outcome.Output, StringComparison.Ordinal);
        Assert.Empty(await new DmarcSenderStore(_account).ListAsync("brand.senders.test"));
    }

    [Fact]
    public async Task NamingThatFails_TheReportIsStored_AndTheLineSaysWhy()
    {
        var settings = PeerStorage.Settings(_prefix);
        settings["MailHealth:SenderNaming:PublicSuffixListPath"] = "/nonexistent/public_suffix_list.dat";

        var outcome = await CliRunner.RunAsync("reports", "import", BrandReport("brand-broken"), "--config", Config(settings));

        Assert.Equal((ExitCodes.Ok, ""), (outcome.ExitCode, outcome.Error));
        Assert.Contains("brand-broken.xml: DMARC aggregate report, stored\n", outcome.Output, StringComparison.Ordinal);
        Assert.Contains("; 4 not named (1 naming(s) failed, the last: ", outcome.Output, StringComparison.Ordinal);
        Assert.Contains("/nonexistent/public_suffix_list.dat", outcome.Output, StringComparison.Ordinal);
        Assert.Contains("), left to the next run of their domain's target\n1 file: 1 stored", outcome.Output, StringComparison.Ordinal);
        Assert.Empty(await new DmarcSenderStore(_account).ListAsync("brand.senders.test"));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("65")]
    public async Task ParallelOutOfRange_IsBadUsage_Exit2(string parallel)
    {
        var outcome = await CliRunner.RunAsync("reports", "import", GoogleMessage(), "--parallel", parallel, "--config", Config());

        Assert.Equal(ExitCodes.Usage, outcome.ExitCode);
        Assert.Contains("--parallel must be from 1 to 64", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Poll_ReadsTheConfiguredMailboxOnce_ThenNothingNew_AndWithoutAMailbox_IsBadUsage()
    {
        var user = ReportsMailbox.NewUser();
        await using var mailbox = await ReportsMailbox.OpenAsync(user);
        await mailbox.AppendAsync("INBOX", System.IO.File.ReadAllBytes(GoogleMessage()), ReportMail.Bytes(ReportMail.Bounce(TestClock.Yesterday)));
        var settings = PeerStorage.Settings(_prefix);
        foreach (var (key, value) in ReportsMailbox.Settings(user).Concat(Peers.LoopbackNetworkSettings()))
        {
            settings[key] = value;
        }

        var config = Config(settings);

        var first = await CliRunner.RunAsync("reports", "poll", "--config", config);
        var second = await CliRunner.RunAsync("reports", "poll", "--config", config);
        var none = await CliRunner.RunAsync("reports", "poll", "--config", Config());

        Assert.Equal((ExitCodes.Ok, ""), (first.ExitCode, first.Error));
        // The stored report's five sources are named after its commit, as the hosts name them.
        Assert.StartsWith("sender names: 5 sources, 5 to name, 5 named in ", first.Output, StringComparison.Ordinal);
        Assert.EndsWith(" s of lookups)\n1 message(s) to Processed (0 duplicate), 1 to Invalid, 0 left for the next poll\n", first.Output, StringComparison.Ordinal);
        Assert.Equal(5, (await new DmarcSenderStore(_account).ListAsync("import.example")).Count(s => s.NamedAt is not null));
        Assert.Equal((ExitCodes.Ok, "0 message(s) to Processed (0 duplicate), 0 to Invalid, 0 left for the next poll\n"), (second.ExitCode, second.Output));
        Assert.Equal((1, 1), (await mailbox.CountAsync("Processed"), await mailbox.CountAsync("Invalid")));
        Assert.Equal(ExitCodes.Usage, none.ExitCode);
        Assert.Contains("no mailbox is configured", none.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoFile_OrAFileThatCannotBeRead_IsBadUsage_Exit2_NothingStored()
    {
        var config = Config();
        var message = GoogleMessage();

        var none = await CliRunner.RunAsync("reports", "import", "--config", config);
        var missing = await CliRunner.RunAsync("reports", "import", message, Path.Combine(_folder, "missing.eml"), "--config", config);

        Assert.Equal(ExitCodes.Usage, none.ExitCode);
        Assert.Contains("give one or more report files", none.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, missing.ExitCode);
        Assert.Contains("cannot read", missing.Error, StringComparison.Ordinal);
        Assert.Equal("", missing.Output);
        // Every file is checked before any is stored: the readable one was not imported either.
        var later = await CliRunner.RunAsync("reports", "import", message, "--config", config);
        Assert.Contains("): DMARC aggregate report, stored\n", later.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadSetting_IsBadUsage_Exit2()
    {
        var settings = PeerStorage.Settings(_prefix);
        settings["MailHealth:Ingestion:MaxReportDays"] = "0";

        var outcome = await CliRunner.RunAsync("reports", "import", GoogleMessage(), "--config", Config(settings));

        Assert.Equal(ExitCodes.Usage, outcome.ExitCode);
        Assert.Contains("MailHealth:Ingestion:MaxReportDays", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StorageThatDoesNotAnswer_Exit3()
    {
        // Nothing listens there: connections are refused at once, and no retry is made.
        var settings = PeerStorage.Settings(_prefix);
        settings["MailHealth:Storage:ConnectionString"] = Peers.AzuriteConnectionStringAt(Peers.Address(0, 254));
        settings["MailHealth:Storage:MaxRetries"] = "0";

        var outcome = await CliRunner.RunAsync("reports", "import", GoogleMessage(), "--config", Config(settings));

        Assert.Equal(ExitCodes.StorageUnavailable, outcome.ExitCode);
        Assert.Contains("storage failed", outcome.Error, StringComparison.Ordinal);
    }
}
