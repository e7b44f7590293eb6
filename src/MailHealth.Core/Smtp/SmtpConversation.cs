using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using MailHealth.Checks;
using MailHealth.Network;
using MailHealth.Targets;
using MailKit.Net.Smtp;
using MailKit.Security;

namespace MailHealth.Smtp;

/// <summary>
/// The network side of one probe: connects the socket itself (to time the connect and to try
/// each address), hands it to MailKit, and walks greeting, EHLO, STARTTLS, EHLO after TLS, the
/// opt-in relay test and the optional AUTH, each under its own deadline. Whatever the server
/// does, it returns what it saw; it never throws for the server's sake.
/// </summary>
internal static class SmtpConversation
{
    /// <summary>How long past the probe deadline the hard stop waits before it pulls the socket.</summary>
    private static readonly TimeSpan HardStopGrace = TimeSpan.FromSeconds(1);

    public static async Task<SmtpObservation> RunAsync(CheckContext context, MailHost host, PortSpec port, CancellationToken cancellationToken)
    {
        var time = context.Time;
        var options = context.Options;
        var started = time.GetTimestamp();
        var observation = new SmtpObservation { Role = port.Role, HostName = host.Name, Port = port.Port, ImplicitTls = port.Role == SmtpRole.Submissions };

        using var deadline = new CancellationTokenSource(options.ProbeDeadline, time);
        using var timer = new SmtpStageTimer(time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token, timer.Token);
        var transcript = new SmtpTranscript(time, timer, options);
        var certificate = new PresentedCertificate();

        var socket = await ConnectAsync(context, host, port, observation, linked.Token).ConfigureAwait(false);
        if (socket is null)
        {
            // A refusal of every address is the reason, whatever became of the run meanwhile.
            if (cancellationToken.IsCancellationRequested && observation.ConnectFailure != SmtpConnectFailure.NotAllowed)
            {
                observation.Cancelled = "the run was cancelled or ran out of time before the connection was made";
            }

            observation.Timings["totalMs"] = Ms(time, started);
            return observation;
        }

        // Disposed here, or by the session's close once QUIT is sent (QuitAsync).
        var client = new ProbeSmtpClient(transcript)
        {
            // Our own stage deadlines end every wait; MailKit's timeout is only a backstop and must
            // come later than ours, or its own timeout error would hide which stage ran out of time.
            Timeout = (int)Math.Min(int.MaxValue, (options.ProbeDeadline + HardStopGrace + HardStopGrace).TotalMilliseconds),
            CheckCertificateRevocation = false,
            ServerCertificateValidationCallback = certificate.Accept,
        };
        if (options.HeloName is { Length: > 0 } helo)
        {
            client.LocalDomain = helo;
        }

        var talk = TalkAsync(context, host, port, socket, client, transcript, certificate, observation, linked.Token);
        // The hard stop: should anything ignore its token, the socket is pulled from under it.
        using var hardStopCancel = new CancellationTokenSource();
        var hardStop = Task.Delay(options.ProbeDeadline + HardStopGrace, time, hardStopCancel.Token);
        if (await Task.WhenAny(talk, hardStop).ConfigureAwait(false) == hardStop)
        {
            socket.Dispose();
            client.Dispose();
            await Task.WhenAny(talk, Task.Delay(HardStopGrace, time, CancellationToken.None)).ConfigureAwait(false);
        }

        await hardStopCancel.CancelAsync().ConfigureAwait(false);
        var failure = talk.IsCompleted ? await talk.ConfigureAwait(false) : null;
        if (failure is not null || !talk.IsCompleted)
        {
            Classify(failure, talk.IsCompleted, timer, deadline, cancellationToken, transcript, observation, options);
            client.Dispose();
            socket.Dispose();
        }
        else
        {
            await QuitAsync(client, socket, transcript, options, time).ConfigureAwait(false);
        }

        Collect(time, transcript, certificate, observation, options.ExtraTrustRoots, time.GetUtcNow());
        observation.Timings["totalMs"] = Ms(time, started);
        return observation;
    }

    private static async Task<Socket?> ConnectAsync(
        CheckContext context, MailHost host, PortSpec port, SmtpObservation observation, CancellationToken cancellationToken)
    {
        var time = context.Time;
        var refused = false;
        var timedOut = false;
        var notAllowed = 0;
        foreach (var address in host.Addresses)
        {
            var attemptStarted = time.GetTimestamp();
            using var connectTimeout = new CancellationTokenSource(context.Options.ConnectTimeout, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, connectTimeout.Token);
            try
            {
                var socket = await GuardedConnector.ConnectAsync(context.Options.AddressPolicy, new IPEndPoint(address, port.Port), linked.Token)
                    .ConfigureAwait(false);
                observation.Address = address;
                observation.Timings["connectMs"] = Ms(time, attemptStarted);
                observation.ConnectAttempts.Add($"{address}: connected");
                return socket;
            }
            catch (AddressRefusedException e)
            {
                notAllowed++;
                observation.ConnectAttempts.Add(e.Verdicts[0].Refusal);
            }
            catch (OperationCanceledException)
            {
                timedOut = true;
                observation.ConnectAttempts.Add($"{address}: no answer within {Seconds(context.Options.ConnectTimeout)}");
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
            {
                refused = true;
                observation.ConnectAttempts.Add($"{address}: refused");
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
            {
                timedOut = true;
                observation.ConnectAttempts.Add($"{address}: timed out ({e.SocketErrorCode})");
            }
            catch (SocketException e)
            {
                observation.ConnectAttempts.Add($"{address}: {e.SocketErrorCode}");
            }

            if (cancellationToken.IsCancellationRequested)
            {
                break;
            }
        }

        observation.ConnectFailure = refused ? SmtpConnectFailure.Refused
            : timedOut ? SmtpConnectFailure.TimedOut
            : notAllowed == host.Addresses.Count ? SmtpConnectFailure.NotAllowed
            : SmtpConnectFailure.Unreachable;
        return null;
    }

    /// <summary>The conversation after connect; returns the exception that ended it early, or null.</summary>
    private static async Task<Exception?> TalkAsync(
        CheckContext context,
        MailHost host,
        PortSpec port,
        Socket socket,
        ProbeSmtpClient client,
        SmtpTranscript transcript,
        PresentedCertificate certificate,
        SmtpObservation observation,
        CancellationToken cancellationToken)
    {
        var time = context.Time;
        var options = context.Options;
        try
        {
            if (port.Role == SmtpRole.Submissions)
            {
                // RFC 8314 section 3.3: TLS starts at once, before any SMTP byte.
                var tlsStarted = time.GetTimestamp();
                transcript.EnterTlsHandshake();
                var wire = new FirstBytesStream(new NetworkStream(socket, ownsSocket: false), 128);
                var tls = new SslStream(wire, leaveInnerStreamOpen: false);
                observation.ImplicitTlsWire = wire;
                try
                {
                    await tls.AuthenticateAsClientAsync(
                        new SslClientAuthenticationOptions
                        {
                            TargetHost = IPAddress.TryParse(host.Name, out _) ? "" : host.Name,
                            RemoteCertificateValidationCallback = certificate.Accept,
                            CertificateChainPolicy = ProbeSmtpClient.HandshakeChainPolicy(),
                            // Every probe sees the certificate the server presents now (see ProbeSmtpClient).
                            AllowTlsResume = false,
                        },
                        cancellationToken).ConfigureAwait(false);
                }
                catch
                {
                    // Free the native TLS context now, not at finalization: a monitor probes broken
                    // 465 ports again and again. What the port sent stays readable (FirstBytesStream.Kept).
                    await tls.DisposeAsync().ConfigureAwait(false);
                    throw;
                }

                observation.Timings["tlsMs"] = Ms(time, tlsStarted);
                observation.TlsEstablished = true;
                observation.TlsProtocol = tls.SslProtocol;
                observation.CipherSuite = tls.NegotiatedCipherSuite;
                observation.ImplicitTlsWire = null;
                transcript.BeginGreeting(encrypted: true);
                await client.ConnectAsync(tls, host.Name, port.Port, SecureSocketOptions.None, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                transcript.BeginGreeting(encrypted: false);
                await client.ConnectAsync(socket, host.Name, port.Port, SecureSocketOptions.StartTlsWhenAvailable, cancellationToken)
                    .ConfigureAwait(false);
                if (client.IsEncrypted)
                {
                    observation.TlsEstablished = true;
                    observation.TlsProtocol = client.SslProtocol;
                    observation.CipherSuite = client.SslCipherSuite;
                }
            }

            if (context.Target.RelayTest)
            {
                await RelayTestAsync(time, options, client, transcript, observation, cancellationToken).ConfigureAwait(false);
            }

            if (context.Target.Credentials is { } credentials && port.Role != SmtpRole.Smtp)
            {
                await AuthenticateAsync(time, client, transcript, credentials, observation, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return e;
        }

        return null;
    }

    /// <summary>
    /// Sends QUIT and returns once it is sent; the reply is awaited apart (<see cref="SmtpClosings"/>),
    /// for at most the command timeout, and then the session is closed and its socket released.
    /// </summary>
    private static async Task QuitAsync(ProbeSmtpClient client, Socket socket, SmtpTranscript transcript, CheckOptions options, TimeProvider time)
    {
        var closing = CloseAsync(client, socket, options.CommandTimeout, time);
        // Too many closing apart already (servers holding their reply): this probe waits for its own.
        await (SmtpClosings.Shared.TryTrack(closing) ? Task.WhenAny(closing, transcript.QuitSent) : closing).ConfigureAwait(false);
    }

    private static async Task CloseAsync(ProbeSmtpClient client, Socket socket, TimeSpan bound, TimeProvider time)
    {
        using var limit = new CancellationTokenSource(bound, time);
        try
        {
            await client.DisconnectAsync(quit: true, limit.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // QUIT is a courtesy: a server that drops us there has already told us everything.
        }
        finally
        {
            client.Dispose();
            socket.Dispose();
        }
    }

    private static async Task RelayTestAsync(
        TimeProvider time, CheckOptions options, ProbeSmtpClient client, SmtpTranscript transcript, SmtpObservation observation, CancellationToken cancellationToken)
    {
        // Only MAIL and RCPT, never DATA: the question is whether RCPT to a foreign domain is
        // accepted without AUTH (RFC 5321 section 3.6); RSET drops the transaction.
        var started = time.GetTimestamp();
        var mail = await SendAsync(client, transcript, $"MAIL FROM:<{options.ProbeSender}>", cancellationToken).ConfigureAwait(false);
        observation.RelayMailReply = mail.Text;
        if (mail.Code / 100 == 2)
        {
            var rcpt = await SendAsync(client, transcript, $"RCPT TO:<{options.RelayTestRecipient}>", cancellationToken).ConfigureAwait(false);
            observation.RelayRcptReply = rcpt.Text;
            observation.RelayAccepted = rcpt.Code / 100 == 2;
        }

        await SendAsync(client, transcript, "RSET", cancellationToken).ConfigureAwait(false);
        observation.Timings["relayTestMs"] = Ms(time, started);
    }

    private static async Task<(int Code, string Text)> SendAsync(ProbeSmtpClient client, SmtpTranscript transcript, string command, CancellationToken cancellationToken)
    {
        try
        {
            var response = await client.CommandAsync(command, cancellationToken).ConfigureAwait(false);
            return ((int)response.StatusCode, transcript.LastReply() ?? $"{(int)response.StatusCode} {response.Response}");
        }
        catch (SmtpCommandException e)
        {
            return ((int)e.StatusCode, transcript.LastReply() ?? $"{(int)e.StatusCode} {e.Message}");
        }
    }

    private static async Task AuthenticateAsync(
        TimeProvider time, ProbeSmtpClient client, SmtpTranscript transcript, SmtpCredentials credentials, SmtpObservation observation, CancellationToken cancellationToken)
    {
        if (!observation.TlsEstablished)
        {
            observation.AuthNotAttempted = "the session is not encrypted: credentials are never sent in clear";
            return;
        }

        if (client.AuthenticationMechanisms.Count == 0)
        {
            observation.AuthNotAttempted = "the server offers no AUTH after TLS";
            return;
        }

        var started = time.GetTimestamp();
        try
        {
            await client.AuthenticateAsync(new NetworkCredential(credentials.UserName, credentials.Password), cancellationToken).ConfigureAwait(false);
            observation.AuthSucceeded = true;
            observation.AuthReply = transcript.LastReply();
        }
        catch (AuthenticationException e)
        {
            observation.AuthSucceeded = false;
            observation.AuthReply = transcript.LastReply() ?? e.Message;
        }
        catch (SmtpCommandException e)
        {
            observation.AuthSucceeded = false;
            observation.AuthReply = transcript.LastReply() ?? $"{(int)e.StatusCode} {e.Message}";
        }
        catch (NotSupportedException)
        {
            observation.AuthNotAttempted = $"no SASL mechanism in common (the server offers {string.Join(' ', client.AuthenticationMechanisms)})";
            return;
        }

        observation.Timings["authMs"] = Ms(time, started);
    }

    private static void Classify(
        Exception? error,
        bool completed,
        SmtpStageTimer timer,
        CancellationTokenSource deadline,
        CancellationToken callerToken,
        SmtpTranscript transcript,
        SmtpObservation observation,
        CheckOptions options)
    {
        var stage = timer.ExpiredStage ?? timer.Stage;
        if (callerToken.IsCancellationRequested)
        {
            observation.Cancelled = $"the run was cancelled or ran out of time during {Describe(stage)}";
            return;
        }

        if (stage == SmtpStage.Quit)
        {
            return;
        }

        if (timer.Violation is { } violation)
        {
            observation.Failure = new SmtpFailure(stage, SmtpFailureKind.Broken, violation, transcript.OverlongLinePreview);
        }
        else if (timer.ExpiredStage is { } expired)
        {
            observation.Failure = new SmtpFailure(expired, SmtpFailureKind.Timeout,
                $"no answer within {Seconds(timer.Limit)} during {Describe(expired)}");
        }
        else if (deadline.IsCancellationRequested || !completed)
        {
            observation.Failure = new SmtpFailure(stage, SmtpFailureKind.Timeout,
                $"the probe did not finish within its deadline of {Seconds(options.ProbeDeadline)} (during {Describe(stage)})");
        }
        else if (error is SmtpCommandException command)
        {
            var reply = transcript.LastReply() ?? $"{(int)command.StatusCode} {command.Message}";
            observation.Failure = new SmtpFailure(stage, SmtpFailureKind.Rejected, $"the server refused {Describe(stage)}: {reply}", reply);
        }
        else if (error is not null)
        {
            observation.Failure = new SmtpFailure(stage, SmtpFailureKind.Broken, $"{Describe(stage)} failed: {Explain(error)}{PlainTextHint(observation)}");
        }
    }

    /// <summary>What the transcript knew at the end: greeting, EHLO replies, stage timings, the certificate.</summary>
    private static void Collect(
        TimeProvider time,
        SmtpTranscript transcript,
        PresentedCertificate certificate,
        SmtpObservation observation,
        X509Certificate2Collection extraRoots,
        DateTimeOffset now)
    {
        var exchanges = transcript.Exchanges;
        var greeting = exchanges.FirstOrDefault(e => e.Stage == SmtpStage.Greeting);
        if (greeting is not null && greeting.Reply.Count > 0)
        {
            observation.Greeting = greeting.Reply;
            if (greeting.Complete && greeting.LastReplyAt is { } at)
            {
                observation.Timings["greetingMs"] = time.GetElapsedTime(greeting.SentAt, at).TotalMilliseconds;
            }
        }

        observation.Ehlo = Accepted(exchanges, SmtpStage.Ehlo);
        observation.EhloAfterTls = Accepted(exchanges, SmtpStage.EhloAfterTls);
        Time(time, exchanges, SmtpStage.Ehlo, "ehloMs", observation);
        Time(time, exchanges, SmtpStage.EhloAfterTls, "ehloAfterTlsMs", observation);
        Time(time, exchanges, SmtpStage.StartTls, "starttlsMs", observation);
        observation.StartTlsReply = exchanges.FirstOrDefault(e => e.Verb == "STARTTLS") is { Reply.Count: > 0 } starttls ? starttls.ReplyText : null;
        if (transcript.StartTlsAcceptedAt is { } accepted && transcript.StartTlsHandshakeEndedAt is { } ended)
        {
            observation.Timings["tlsMs"] = time.GetElapsedTime(accepted, ended).TotalMilliseconds;
        }

        observation.Transcript = transcript.Lines();
        observation.CertificateChain = certificate.Chain;
        if (certificate.Chain.Count > 0)
        {
            var chain = certificate.Load();
            try
            {
                observation.Certificate = CertificateInspector.Inspect(chain[0], chain, observation.HostName, extraRoots, now);
            }
            finally
            {
                chain.ForEach(c => c.Dispose());
            }
        }
    }

    private static IReadOnlyList<string>? Accepted(IReadOnlyList<SmtpExchange> exchanges, SmtpStage stage) =>
        exchanges.LastOrDefault(e => e.Stage == stage && e.Verb is "EHLO" or "HELO" && e.Complete && e.Code == 250)?.Reply;

    private static void Time(TimeProvider time, IReadOnlyList<SmtpExchange> exchanges, SmtpStage stage, string metric, SmtpObservation observation)
    {
        if (exchanges.FirstOrDefault(e => e.Stage == stage && e.Complete) is { LastReplyAt: { } at } exchange)
        {
            observation.Timings[metric] = time.GetElapsedTime(exchange.SentAt, at).TotalMilliseconds;
        }
    }

    /// <summary>On a failed implicit-TLS handshake: what the port sent instead, when it looks like text.</summary>
    private static string PlainTextHint(SmtpObservation observation)
    {
        if (observation.ImplicitTlsWire?.Kept is not { Length: > 0 } bytes)
        {
            return "";
        }

        var text = System.Text.Encoding.ASCII.GetString(bytes).Split('\n')[0].TrimEnd('\r');
        return text.Length > 0 && text.All(c => c >= ' ' && c < 127)
            ? $"; the port answered in plain text instead: \"{text}\""
            : "";
    }

    private static string Explain(Exception error)
    {
        var inner = error.InnerException is { } cause && cause.Message != error.Message ? $" ({cause.Message})" : "";
        return $"{error.Message}{inner}";
    }

    public static string Describe(SmtpStage stage) => stage switch
    {
        SmtpStage.Connect => "the TCP connect",
        SmtpStage.TlsHandshake => "the TLS handshake",
        SmtpStage.Greeting => "the greeting",
        SmtpStage.Ehlo => "EHLO",
        SmtpStage.StartTls => "STARTTLS",
        SmtpStage.EhloAfterTls => "EHLO after TLS",
        SmtpStage.RelayTest => "the relay test",
        SmtpStage.Auth => "AUTH",
        SmtpStage.Quit => "QUIT",
        _ => stage.ToString(),
    };

    public static string Seconds(TimeSpan span) => span.TotalSeconds >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.#} s")
        : string.Create(CultureInfo.InvariantCulture, $"{span.TotalMilliseconds:0} ms");

    private static double Ms(TimeProvider time, long started) => Math.Round(time.GetElapsedTime(started).TotalMilliseconds, 1);
}
