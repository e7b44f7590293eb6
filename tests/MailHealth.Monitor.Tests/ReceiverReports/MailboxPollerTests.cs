using System.Net.Sockets;
using System.Text;
using Azure.Core;
using MailHealth.Monitor.ReceiverReports;
using MailHealth.Monitor.ReceiverReports.Mailbox;
using MailHealth.Network;
using MailHealth.Storage.Configuration;
using MailHealth.Storage.ReceiverReports;
using MailHealth.Testing;
using MailHealth.Testing.Mail;
using MailHealth.Testing.Reports;
using MailHealth.Testing.Servers;
using MailKit.Security;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MimeKit;

namespace MailHealth.Monitor.Tests.ReceiverReports;

/// <summary>
/// The mailbox door on the peers: reports delivered by Postfix into Dovecot (each test a mailbox
/// of its own), read by the poller over TLS, stored on Azurite by the one ingestion pipeline, and
/// each message moved to Processed or Invalid. Totals are read back through the targets.
/// </summary>
public sealed class MailboxPollerTests(IngestionHarness harness) : IClassFixture<IngestionHarness>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private static DateOnly Day => IngestionHarness.DayOf(IngestionHarness.Day);

    [Fact]
    public async Task ReportsDeliveredByPostfix_AreStoredOnce_AndMoved_TheOtherMailToInvalid()
    {
        var (target, domain) = await TargetAsync("mbx-delivered");
        var google = IngestionHarness.Google(domain, rows: 12, sources: 5);
        var microsoft = Reporters.Microsoft(domain, IngestionHarness.Day, AggregateRows.Mixed(domain, 8, 3));
        var tls = Reporters.GoogleTls(domain, IngestionHarness.Day);
        var user = ReportsMailbox.NewUser();
        await using var mailbox = await ReportsMailbox.OpenAsync(user);
        await mailbox.DeliverAsync(
            Message(Reporters.GoogleMessage(google)),
            Message(Reporters.MicrosoftMessage(microsoft)),
            ReportMail.TlsReport("tls-reporting@google.com", domain, TlsReportJson.Bytes(tls), IngestionHarness.Day),
            ReportMail.Bounce(IngestionHarness.Day),
            ReportMail.HumanReply(IngestionHarness.Day));
        Assert.Equal(5, await mailbox.WaitForAsync("INBOX", 5, Patience));

        var first = await Poller(Settings(user)).PollAsync(CancellationToken.None);
        var second = await Poller(Settings(user)).PollAsync(CancellationToken.None);

        Assert.Equal(new MailboxPoll(MailboxPollState.Read, 3, 2, 0, false), first);
        Assert.Equal(0, first.Duplicates);
        Assert.Equal(new MailboxPoll(MailboxPollState.Read, 0, 0, 0, false), second);
        Assert.Equal((0, 3, 2), (await mailbox.CountAsync("INBOX"), await mailbox.CountAsync("Processed"), await mailbox.CountAsync("Invalid")));
        var (googleMessages, googlePass) = IngestionHarness.Expected(google);
        var (microsoftMessages, microsoftPass) = IngestionHarness.Expected(microsoft);
        var day = Assert.Single((await harness.Totals.DmarcDaysAsync(target, Day, Day, CancellationToken.None))!);
        Assert.Equal((2, googleMessages + microsoftMessages, googlePass + microsoftPass), (day.Reports, day.Counts.Messages, day.Counts.DmarcPass));
        Assert.Equal(1, Assert.Single((await harness.Totals.TlsDaysAsync(target, Day, Day, CancellationToken.None))!).Reports);
        var invalid = await MailboxOutcomesAsync(ReportOutcomeStatus.Invalid);
        Assert.Contains(invalid, r => r.Reason?.Contains("no report", StringComparison.OrdinalIgnoreCase) == true);
    }

    [Fact]
    public async Task AtMostMaxMessagesPerPoll_TheRestWaitForTheNextPoll()
    {
        var (target, domain) = await TargetAsync("mbx-bounded");
        var user = ReportsMailbox.NewUser();
        await using var mailbox = await ReportsMailbox.OpenAsync(user);
        await mailbox.AppendAsync("INBOX", [.. Enumerable.Range(1, 3).Select(i => Reporters.GoogleMessage(Spec(domain, i)))]);
        var settings = Settings(user);
        settings.MaxMessagesPerPoll = 2;

        var first = await Poller(settings).PollAsync(CancellationToken.None);
        var second = await Poller(settings).PollAsync(CancellationToken.None);

        Assert.Equal((2, 1), (first.Processed, first.Remaining));
        Assert.Equal((1, 0), (second.Processed, second.Remaining));
        Assert.Equal(3, Assert.Single((await harness.Totals.DmarcDaysAsync(target, Day, Day, CancellationToken.None))!).Reports);
    }

    [Fact]
    public async Task UidValidityChanges_TheFolderIsReadAgainFromItsStart_AndNothingCountsTwice()
    {
        var (target, domain) = await TargetAsync("mbx-uidvalidity");
        var user = ReportsMailbox.NewUser();
        await using var mailbox = await ReportsMailbox.OpenAsync(user);
        var messages = Enumerable.Range(1, 3).Select(i => Reporters.GoogleMessage(Spec(domain, i))).ToArray();
        await mailbox.FolderAsync("Reports");
        await mailbox.AppendAsync("Reports", messages[0], messages[1]);
        var settings = Settings(user);
        settings.Folder = "Reports";
        var before = await Poller(settings).PollAsync(CancellationToken.None);
        var cursor = await Poller(settings).CursorAsync(CancellationToken.None);

        // The folder made anew (a restore, a migration): its UIDs start again at 1 and name other messages.
        var validity = await mailbox.RecreateAsync("Reports");
        await mailbox.AppendAsync("Reports", messages);
        var after = await Poller(settings).PollAsync(CancellationToken.None);

        Assert.Equal((2, false), (before.Processed, before.Reread));
        Assert.Equal((2L, false), (cursor.LastUid, cursor.UidValidity == validity));
        Assert.Equal((3, true), (after.Processed, after.Reread));
        Assert.Equal((0, 5), (await mailbox.CountAsync("Reports"), await mailbox.CountAsync("Processed")));
        Assert.Equal((long)validity, (await Poller(settings).CursorAsync(CancellationToken.None)).UidValidity);
        Assert.Equal(3, Assert.Single((await harness.Totals.DmarcDaysAsync(target, Day, Day, CancellationToken.None))!).Reports);
        Assert.Equal(2, after.Duplicates);
    }

    [Fact]
    public async Task FolderMadeAnewDuringAPoll_NothingOfTheNewFolderIsMovedUnread_TheNextPollReadsItWhole()
    {
        var (target, domain) = await TargetAsync("mbx-anew-mid-poll");
        var user = ReportsMailbox.NewUser();
        await using var mailbox = await ReportsMailbox.OpenAsync(user);
        await mailbox.FolderAsync("Reports");
        await mailbox.AppendAsync("Reports", Reporters.GoogleMessage(Spec(domain, 1)));
        var settings = Settings(user);
        settings.Folder = "Reports";
        var interrupted = Poller(settings);
        var made = false;
        // After the first message's reports are committed and before its move, the folder is made
        // anew with two other messages: UID 1 names one of them now. Dovecot's session that reads
        // the folder goes on with its old view and says nothing of it.
        interrupted.Fault = async (at, _) =>
        {
            if (at == "move" && !made)
            {
                made = true;
                await mailbox.RecreateAsync("Reports");
                await mailbox.AppendAsync("Reports", Reporters.GoogleMessage(Spec(domain, 2)), Reporters.GoogleMessage(Spec(domain, 3)));
            }
        };

        await Assert.ThrowsAsync<MailboxChangedException>(() => interrupted.PollAsync(CancellationToken.None));
        var meanwhile = (await mailbox.CountAsync("Reports"), await mailbox.CountAsync("Processed"));
        var next = await Poller(settings).PollAsync(CancellationToken.None);

        Assert.Equal((2, 0), meanwhile);
        Assert.Equal((2, true, 0), (next.Processed, next.Reread, next.Duplicates));
        Assert.Equal(3, Assert.Single((await harness.Totals.DmarcDaysAsync(target, Day, Day, CancellationToken.None))!).Reports);
    }

    [Fact]
    public async Task CrashBetweenCommitAndMove_TheMessageIsReadAgain_AsADuplicate_TotalsUnchanged()
    {
        var (target, domain) = await TargetAsync("mbx-crash");
        var spec = Spec(domain, 1);
        var user = ReportsMailbox.NewUser();
        await using var mailbox = await ReportsMailbox.OpenAsync(user);
        await mailbox.AppendAsync("INBOX", Reporters.GoogleMessage(spec));
        var crashing = Poller(Settings(user));
        crashing.Fault = (at, _) => at == "move" ? throw new IOException("the process stops before the move") : Task.CompletedTask;

        await Assert.ThrowsAsync<IOException>(() => crashing.PollAsync(CancellationToken.None));
        var meanwhile = (await mailbox.CountAsync("INBOX"), await mailbox.CountAsync("Processed"));
        var again = await Poller(Settings(user)).PollAsync(CancellationToken.None);

        Assert.Equal((1, 0), meanwhile);
        Assert.Equal((1, 1), (again.Processed, again.Duplicates));
        Assert.Equal((0, 1), (await mailbox.CountAsync("INBOX"), await mailbox.CountAsync("Processed")));
        var day = Assert.Single((await harness.Totals.DmarcDaysAsync(target, Day, Day, CancellationToken.None))!);
        Assert.Equal((1, IngestionHarness.Expected(spec).Messages), (day.Reports, day.Counts.Messages));
    }

    [Fact]
    public async Task MessageOverTheCap_IsRefusedOnItsSize_WithoutBeingFetched_AndGoesToInvalid()
    {
        var user = ReportsMailbox.NewUser();
        await using var mailbox = await ReportsMailbox.OpenAsync(user);
        await mailbox.AppendAsync("INBOX", HostileInputs.LargeMessage(30 * 1024 * 1024));

        var poll = await Poller(Settings(user)).PollAsync(CancellationToken.None);

        Assert.Equal((0, 1), (poll.Processed, poll.Invalid));
        Assert.Equal((0, 1), (await mailbox.CountAsync("INBOX"), await mailbox.CountAsync("Invalid")));
        // What Dovecot sent the poller in its whole session: the listing, not the 30 MB.
        Assert.InRange(await mailbox.LargestSessionOutputAsync(1, Patience), 1, 64 * 1024);
        Assert.Contains(await MailboxOutcomesAsync(ReportOutcomeStatus.Invalid), o => o.Reason?.Contains("MaxMessageBytes", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task StartTlsOnPort143_Works_AndAServerWithoutStartTls_GetsNoCredential()
    {
        var user = ReportsMailbox.NewUser();
        var settings = Settings(user);
        settings.Port = 143;
        var received = new StringBuilder();
        await using var plain = new SocketServer(async (socket, stop) =>
        {
            await using var stream = new NetworkStream(socket);
            using var reader = new StreamReader(stream, Encoding.ASCII);
            await stream.WriteAsync(Encoding.ASCII.GetBytes("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN LOGIN] plain only\r\n"), stop);
            while (await reader.ReadLineAsync(stop) is { } line)
            {
                lock (received)
                {
                    received.AppendLine(line);
                }

                var tag = line.Split(' ')[0];
                var answer = line.Contains("CAPABILITY", StringComparison.OrdinalIgnoreCase)
                    ? $"* CAPABILITY IMAP4rev1 AUTH=PLAIN LOGIN\r\n{tag} OK done\r\n"
                    : $"{tag} OK done\r\n";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(answer), stop);
            }
        }, Peers.Address(76, 2));
        var toPlain = Settings(user);
        toPlain.Host = Peers.Address(76, 2).ToString();
        toPlain.Port = plain.Port;

        var overStartTls = await Poller(settings).PollAsync(CancellationToken.None);

        Assert.Equal(MailboxPollState.Read, overStartTls.State);
        await Assert.ThrowsAsync<NotSupportedException>(() => Poller(toPlain).PollAsync(CancellationToken.None));
        lock (received)
        {
            Assert.DoesNotContain("LOGIN", received.ToString().Replace("CAPABILITY", string.Empty, StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("AUTHENTICATE", received.ToString(), StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task OAuth2_LogsInWithSaslXoauth2_AndTheTokenOfTheOutlookScope()
    {
        var user = ReportsMailbox.NewUser();
        var settings = Settings(user);
        settings.Auth = MailboxAuth.OAuth2;
        settings.Password = null;
        settings.TenantId = "tenant";
        settings.ClientId = "client";
        settings.ClientSecret = "unused here";
        // Dovecot's static passdb takes the peers' password as the bearer token (eng/peers/start.d/70-dovecot.sh).
        var good = new RecordingCredential(ReportsMailbox.Password);

        var poll = await Poller(settings, good).PollAsync(CancellationToken.None);

        Assert.Equal(MailboxPollState.Read, poll.State);
        Assert.Equal([MailboxSettings.OutlookScope], good.Scopes);
        await Assert.ThrowsAsync<AuthenticationException>(() => Poller(settings, new RecordingCredential("not-the-token")).PollAsync(CancellationToken.None));
    }

    [Fact]
    public async Task TheHostsPoller_WithNoMailboxConfigured_IsOff()
    {
        var poll = await harness.Monitor.Get<MailboxPoller>().PollAsync(CancellationToken.None);

        Assert.Equal(MailboxPoll.Off, poll);
    }

    [Fact]
    public async Task ASecondPoll_WhileTheFirstHoldsTheMailbox_DoesNothing()
    {
        var user = ReportsMailbox.NewUser();
        await using var mailbox = await ReportsMailbox.OpenAsync(user);
        await mailbox.AppendAsync("INBOX", ReportMail.Bytes(ReportMail.HumanReply(IngestionHarness.Day)));
        var first = Poller(Settings(user));
        var second = Poller(Settings(user));
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        first.Fault = async (at, ct) =>
        {
            entered.TrySetResult();
            await release.Task.WaitAsync(ct);
        };

        var running = first.PollAsync(CancellationToken.None);
        await entered.Task.WaitAsync(Patience);
        var meanwhile = await second.PollAsync(CancellationToken.None);
        release.SetResult();
        var done = await running;

        Assert.Equal(MailboxPoll.Busy, meanwhile);
        Assert.Equal(1, done.Invalid);
    }

    private static MimeMessage Message(byte[] raw) => MimeMessage.Load(new MemoryStream(raw));

    private static AggregateReportSpec Spec(string domain, int n) =>
        Reporters.Google(domain, IngestionHarness.Day, AggregateRows.Mixed(domain, 4 + n, 2)) with { ReportId = $"{domain}-{n}" };

    private static MailboxSettings Settings(string user) => new()
    {
        Host = ReportsMailbox.Address.ToString(),
        Port = 993,
        CaFile = Peers.CaFile,
        User = user,
        Password = ReportsMailbox.Password,
        Timeout = TimeSpan.FromSeconds(20),
    };

    private MailboxPoller Poller(MailboxSettings settings, TokenCredential? tokens = null) => new(
        Options.Create(settings),
        new MailboxConnector(Options.Create(settings), harness.Monitor.Get<AddressPolicy>(), tokens),
        harness.Monitor.Get<MailboxCursorStore>(),
        harness.Ingestion,
        harness.Monitor.Get<ReportStorageCalls>(),
        TimeProvider.System,
        NullLogger<MailboxPoller>.Instance);

    /// <summary>A target <paramref name="name"/> of a domain of its own, <c>NAME.example</c>.</summary>
    private async Task<(string Target, string Domain)> TargetAsync(string name)
    {
        var domain = $"{name}.example";
        await harness.Monitor.AddTargetAsync(name, domain);
        return (name, domain);
    }

    /// <summary>Every outcome of the inputs that came by the mailbox, with <paramref name="status"/>.</summary>
    private async Task<List<ReportOutcome>> MailboxOutcomesAsync(ReportOutcomeStatus status)
    {
        var outcomes = new List<ReportOutcome>();
        // The mailbox's inputs, as the time index names them (each with its door).
        var table = harness.Account.Table(StorageTables.ReportInputs);
        var inputs = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var row in table.QueryAsync<Azure.Data.Tables.TableEntity>($"PartitionKey ge 'm' and PartitionKey lt 'n' and Door eq '{ReportDoors.Mailbox}'"))
        {
            if (inputs.Add(row.GetString("Input")))
            {
                var record = await harness.Ingestion.GetAsync(row.GetString("Input"), CancellationToken.None);
                outcomes.AddRange(record!.Reports.Where(o => o.Status == status));
            }
        }

        return outcomes;
    }

    private sealed class RecordingCredential(string token) : TokenCredential
    {
        public List<string> Scopes { get; } = [];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Scopes.AddRange(requestContext.Scopes);
            return new AccessToken(token, DateTimeOffset.MaxValue);
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
