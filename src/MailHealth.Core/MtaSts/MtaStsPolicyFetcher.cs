using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using MailHealth.Checks;
using MailHealth.Dns;
using MailHealth.Network;
using MailHealth.Smtp;

namespace MailHealth.MtaSts;

/// <summary>
/// Fetches <c>https://HOST/.well-known/mta-sts.txt</c> as RFC 8461 section 3.3 asks of a sender:
/// the host resolved through the checker's own resolver (never the system's), the certificate
/// validated for the host name against the system roots and the extra roots, no redirect
/// followed, no cache, no proxy, a size limit and one deadline for the whole exchange.
/// </summary>
public static class MtaStsPolicyFetcher
{
    /// <summary>
    /// Largest body accepted: 64 KiB, the maximum RFC 8461 section 3.3 suggests senders impose.
    /// A policy is a few hundred bytes; anything bigger is not what a sender will read.
    /// </summary>
    public const int MaxPolicyBytes = 64 * 1024;

    public static Uri PolicyUrl(string policyHost) => new($"https://{policyHost}/.well-known/mta-sts.txt");

    public static Task<PolicyFetch> FetchAsync(
        string policyHost, DnsResolver dns, CheckOptions options, TimeProvider time, CancellationToken cancellationToken) =>
        FetchAsync(PolicyUrl(policyHost), MaxPolicyBytes, dns, options, time, cancellationToken);

    /// <summary>
    /// One HTTPS GET as a policy fetch does it (no redirects, no cache, the checker's resolver,
    /// the certificate judged for the URL's host, at most <paramref name="maxBytes"/> of body,
    /// within the MTA-STS policy deadline). Also used for BIMI logos and certificates: <paramref name="document"/>
    /// names what is fetched in the details (default: the MTA-STS policy).
    /// </summary>
    public static async Task<PolicyFetch> FetchAsync(
        Uri url, int maxBytes, DnsResolver dns, CheckOptions options, TimeProvider time, CancellationToken cancellationToken, FetchedDocument? document = null)
    {
        ArgumentNullException.ThrowIfNull(url);
        document ??= FetchedDocument.MtaStsPolicy;
        ArgumentNullException.ThrowIfNull(dns);
        ArgumentNullException.ThrowIfNull(options);
        var policyHost = url.IdnHost;
        var started = time.GetTimestamp();
        var seen = new FetchObservations();
        using var deadline = new CancellationTokenSource(options.MtaStsPolicyTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        using var handler = CreateHandler(policyHost, dns, options, time, seen);
        using var client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        using var request = new HttpRequestMessage(HttpMethod.Get, url)
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        // RFC 8461 section 3.3: HTTP caching MUST NOT be used.
        request.Headers.CacheControl = new CacheControlHeaderValue { NoCache = true };

        PolicyFetch Result(PolicyFetchOutcome outcome, string detail, HttpResponseMessage? response = null, string? location = null, byte[]? body = null) => new()
        {
            Outcome = outcome,
            Detail = detail,
            Url = url,
            StatusCode = response is null ? null : (int)response.StatusCode,
            ContentType = response?.Content.Headers.ContentType?.ToString(),
            Location = location,
            Body = body,
            Certificate = seen.Certificate,
            Addresses = seen.Addresses,
            NotAllowed = seen.NotAllowed,
            ElapsedMs = (long)time.GetElapsedTime(started).TotalMilliseconds,
        };

        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (status is >= 300 and < 400)
            {
                var location = response.Headers.Location?.ToString();
                return Result(PolicyFetchOutcome.Redirected, $"{url} answered {status} (redirect to {location ?? "nowhere"}); {document.RedirectNote}", response, location);
            }

            if (status != 200)
            {
                return Result(PolicyFetchOutcome.HttpError, $"{url} answered {status} {response.ReasonPhrase}; only 200 delivers the {document.Name}", response);
            }

            if (response.Content.Headers.ContentLength > maxBytes)
            {
                return Result(PolicyFetchOutcome.TooLarge, $"{url} is {response.Content.Headers.ContentLength} bytes, above the {maxBytes}-byte limit", response);
            }

            var body = await ReadLimitedAsync(response.Content, maxBytes, linked.Token).ConfigureAwait(false);
            if (body is null)
            {
                return Result(PolicyFetchOutcome.TooLarge, $"{url} is larger than the {maxBytes}-byte limit", response);
            }

            return Result(PolicyFetchOutcome.Fetched, $"{url} answered 200 with {body.Length} bytes", response, body: body);
        }
        catch (Exception e) when (e is OperationCanceledException or HttpRequestException or IOException or AuthenticationException or SocketException)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return Classify(e, seen, deadline.IsCancellationRequested, options, document, (outcome, detail) => Result(outcome, detail));
        }
    }

    private static PolicyFetch Classify(
        Exception e, FetchObservations seen, bool timedOut, CheckOptions options, FetchedDocument document, Func<PolicyFetchOutcome, string, PolicyFetch> result)
    {
        if (seen.DnsFailure is { } failed)
        {
            return result(PolicyFetchOutcome.DnsFailure, $"could not resolve the {document.Name} host: {failed.Describe()}") with { DnsFailure = failed };
        }

        if (seen.Unresolvable is { } unresolvable)
        {
            return result(PolicyFetchOutcome.HostUnresolvable, $"the {document.Name} host has no address ({unresolvable})");
        }

        if (!seen.Connected && seen.NotAllowed.Count > 0 && seen.NotAllowed.Count == seen.Addresses.Count)
        {
            return result(PolicyFetchOutcome.AddressNotAllowed,
                $"the {document.Name} host resolves only to addresses the monitor does not connect to: {string.Join("; ", seen.ConnectErrors)}");
        }

        if (seen.Certificate is { } certificate && !IsAcceptable(certificate))
        {
            return result(PolicyFetchOutcome.CertificateRejected, $"the {document.Name} host's certificate is not valid for it, so {document.Reader} refuse the {document.Name}");
        }

        if (timedOut)
        {
            var stage = seen.Connected ? "no complete answer" : "no connection";
            return result(PolicyFetchOutcome.TimedOut, $"{stage} within {options.MtaStsPolicyTimeout.TotalSeconds:0.#} s");
        }

        if (!seen.Connected)
        {
            return result(PolicyFetchOutcome.ConnectFailed, $"could not connect to the {document.Name} host on port 443: {string.Join("; ", seen.ConnectErrors)}");
        }

        if (FindInner<AuthenticationException>(e) is { } tls)
        {
            return result(PolicyFetchOutcome.TlsFailed, $"the TLS handshake failed: {tls.Message}");
        }

        return result(PolicyFetchOutcome.ProtocolError, $"the HTTPS exchange failed: {Innermost(e).Message}");
    }

    /// <summary>
    /// What a sender validating as RFC 8461 section 3.3 says accepts: trusted, within its dates,
    /// and for the name by a DNS-ID (never the subject's CN).
    /// </summary>
    public static bool IsAcceptable(CertificateReport certificate) =>
        certificate.Trusted && certificate.DnsIdMatches && !certificate.Expired && !certificate.NotYetValid;

    private static SocketsHttpHandler CreateHandler(string policyHost, DnsResolver dns, CheckOptions options, TimeProvider time, FetchObservations seen) => new()
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.None,
        MaxConnectionsPerServer = 1,
        MaxResponseHeadersLength = 64,
        ConnectTimeout = Timeout.InfiniteTimeSpan,
        ConnectCallback = (context, token) => ConnectAsync(context.DnsEndPoint, dns, options, time, seen, token),
        SslOptions = new SslClientAuthenticationOptions
        {
            TargetHost = policyHost,
            // The certificate judged must be the one presented now, not a resumed session's.
            AllowTlsResume = false,
            // Never fetch intermediates or revocation data from the network.
            CertificateChainPolicy = new X509ChainPolicy
            {
                DisableCertificateDownloads = true,
                RevocationMode = X509RevocationMode.NoCheck,
            },
            RemoteCertificateValidationCallback = (sender, certificate, chain, errors) =>
            {
                if (certificate is null)
                {
                    return false;
                }

                // What the server sent, as the SMTP probe reads it; judged by the same inspector.
                var presented = new PresentedCertificate();
                presented.Accept(sender, certificate, chain, errors);
                var loaded = presented.Load();
                try
                {
                    seen.Certificate = CertificateInspector.Inspect(loaded[0], loaded, policyHost, options.ExtraTrustRoots, time.GetUtcNow());
                }
                finally
                {
                    loaded.ForEach(c => c.Dispose());
                }

                return IsAcceptable(seen.Certificate);
            },
        },
    };

    private static async ValueTask<Stream> ConnectAsync(
        DnsEndPoint endpoint, DnsResolver dns, CheckOptions options, TimeProvider time, FetchObservations seen, CancellationToken cancellationToken)
    {
        // The checker's own resolver: a --dns option points the policy fetch at a test zone too.
        var answer = await dns.GetAddressesAsync(endpoint.Host, cancellationToken).ConfigureAwait(false);
        seen.Addresses = [.. answer.Addresses.Select(a => a.ToString())];
        if (answer.Addresses.Count == 0)
        {
            if (answer.Failed && answer.FailedAnswer is { } failed)
            {
                seen.DnsFailure = failed;
            }
            else
            {
                seen.Unresolvable = $"{answer.V4.Describe()}; {answer.V6.Describe()}";
            }

            throw new HttpRequestException($"{endpoint.Host} has no address");
        }

        // Every refused address, also those after the one that answers: a sender may pick any of them.
        seen.NotAllowed.AddRange(answer.Addresses.Select(options.AddressPolicy.Judge).Where(v => !v.Permitted));
        foreach (var address in answer.Addresses)
        {
            using var attempt = new CancellationTokenSource(options.ConnectTimeout, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, attempt.Token);
            try
            {
                var socket = await GuardedConnector.ConnectAsync(options.AddressPolicy, new IPEndPoint(address, endpoint.Port), linked.Token).ConfigureAwait(false);
                seen.Connected = true;
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (AddressRefusedException e)
            {
                seen.ConnectErrors.Add(e.Verdicts[0].Refusal);
            }
            catch (SocketException e)
            {
                seen.ConnectErrors.Add($"{address}: {e.SocketErrorCode}");
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                seen.ConnectErrors.Add($"{address}: no answer within {options.ConnectTimeout.TotalSeconds:0.#} s");
            }
        }

        throw new HttpRequestException($"could not connect to {endpoint.Host}:{endpoint.Port}");
    }

    /// <summary>The body, or null when it goes past <paramref name="maxBytes"/>.</summary>
    private static async Task<byte[]?> ReadLimitedAsync(HttpContent content, int maxBytes, CancellationToken cancellationToken)
    {
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new byte[maxBytes + 1];
            var total = 0;
            while (total < buffer.Length)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return buffer[..total];
                }

                total += read;
            }

            return null;
        }
    }

    private static T? FindInner<T>(Exception? e)
        where T : Exception
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is T found)
            {
                return found;
            }
        }

        return null;
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e;
    }

    /// <summary>What the connect and handshake callbacks saw, for telling why a fetch failed.</summary>
    private sealed class FetchObservations
    {
        public IReadOnlyList<string> Addresses { get; set; } = [];

        public DnsAnswer? DnsFailure { get; set; }

        public string? Unresolvable { get; set; }

        public bool Connected { get; set; }

        public List<string> ConnectErrors { get; } = [];

        /// <summary>The addresses the address policy refused.</summary>
        public List<AddressVerdict> NotAllowed { get; } = [];

        public CertificateReport? Certificate { get; set; }
    }
}
