using System.CommandLine;
using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using MailHealth.Dns;
using MailHealth.Reports;
using MailHealth.Spf;

namespace MailHealth.Cli.Commands;

/// <summary>
/// <c>mailhealth spf --ip IP --sender ADDRESS [--helo NAME] [--dns IP[:PORT]]... [--json]</c>:
/// one check_host() evaluation (RFC 7208) with its trace, for troubleshooting a rejection.
/// Exit 0 whenever the evaluation ran, whatever its result; 2 on bad usage.
/// </summary>
internal static class SpfCommand
{
    // The report's JSON conventions, except that absent values are written as null: the
    // command's schema always has "explanation", even when there is none.
    private static readonly JsonSerializerOptions JsonOptions = new(ReportJson.Options) { DefaultIgnoreCondition = JsonIgnoreCondition.Never };

    public static Command Create(TextWriter output, TimeProvider time)
    {
        var ip = new Option<string>("--ip") { Description = "The SMTP client's IP address (IPv4 or IPv6).", HelpName = "IP", Required = true };
        var sender = new Option<string>("--sender")
        {
            Description = "The MAIL FROM address; \"\" for the null reverse-path (then postmaster@HELO is checked).",
            HelpName = "ADDRESS",
            Required = true,
        };
        var helo = new Option<string?>("--helo") { Description = "The HELO/EHLO name. Default: the sender's domain; required with an empty --sender.", HelpName = "NAME" };
        var dns = CommonOptions.Dns();
        var json = CommonOptions.Json();
        var command = new Command("spf", "Evaluate SPF (RFC 7208 check_host) for one connection and show the result, the explanation and the trace. Exit 0 when the evaluation ran; 2 on bad usage.")
        {
            ip, sender, helo, dns, json,
        };

        command.SetAction(async (parse, cancellationToken) =>
        {
            var request = BuildRequest(parse.GetValue(ip)!, parse.GetValue(sender)!, parse.GetValue(helo));
            var resolver = new DnsResolver(new DnsResolverOptions { Servers = CommonOptions.ParseDnsServers(parse.GetValue(dns)) });
            var evaluation = await new SpfEvaluator(resolver, time).CheckHostAsync(request, cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(ToJson(request, evaluation), JsonOptions)).ConfigureAwait(false);
            }
            else
            {
                await WriteTextAsync(output, request, evaluation).ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>
    /// Builds the request from the options. Only the IP must be valid: a MAIL FROM or HELO that is
    /// no valid address or host name is what a receiver sees and RFC 7208 says how to evaluate it
    /// (sections 2.3, 4.3: a malformed domain gives none; a missing local-part is "postmaster").
    /// </summary>
    public static SpfRequest BuildRequest(string ipText, string senderText, string? heloText)
    {
        var address = CommonOptions.ParseIp(ipText, "--ip");
        ArgumentNullException.ThrowIfNull(senderText);
        var helo = heloText
            ?? (senderText.Length > 0
                // Without --helo, the sender's domain stands in for it (it only feeds %{h}).
                ? senderText[(senderText.LastIndexOf('@') + 1)..]
                // RFC 7208 section 2.4: with a null reverse-path the HELO identity is what is checked.
                : throw new UsageException("--helo is required with an empty --sender (the null reverse-path is checked as postmaster@HELO)"));
        return new SpfRequest(address, senderText, helo);
    }

    private static object ToJson(SpfRequest request, SpfEvaluation evaluation) => new
    {
        result = evaluation.Result.Name(),
        explanation = evaluation.Explanation,
        lookups = evaluation.Lookups,
        voidLookups = evaluation.VoidLookups,
        ip = request.Ip.ToString(),
        sender = evaluation.Sender,
        helo = request.Helo,
        domain = evaluation.Domain,
        record = evaluation.Record,
        match = evaluation.Match is { } m ? new { term = m.TopTerm, mechanism = m.Mechanism, domain = m.Domain, path = m.Path } : null,
        problem = evaluation.Problem == SpfProblem.None ? null : evaluation.Problem.ToString(),
        reason = evaluation.Reason,
        syntaxError = evaluation.SyntaxError is { } e ? new { term = e.Term, position = e.Position, message = e.Message } : null,
        trace = evaluation.Trace.Select(t => new { depth = t.Depth, kind = t.Kind.ToString().ToLowerInvariant(), domain = t.Domain, text = t.Text, lookups = t.Lookups }),
        includeTree = evaluation.Tree.Describe(),
    };

    private static async Task WriteTextAsync(TextWriter output, SpfRequest request, SpfEvaluation evaluation)
    {
        await output.WriteLineAsync($"result:      {evaluation.Result.Name()}").ConfigureAwait(false);
        await output.WriteLineAsync($"explanation: {evaluation.Explanation ?? "(none)"}").ConfigureAwait(false);
        await output.WriteLineAsync($"lookups:     {evaluation.Lookups} of {SpfEvaluator.MaxLookups} (void: {evaluation.VoidLookups} of {SpfEvaluator.MaxVoidLookups})").ConfigureAwait(false);
        if (evaluation.Reason is { } reason)
        {
            await output.WriteLineAsync($"reason:      {reason}").ConfigureAwait(false);
        }

        if (evaluation.Match is { } match)
        {
            // The top record's term first: that is what an owner edits; the rest says where inside it.
            var via = match.Path.Count == 0 ? "" : $" (via {string.Join(" -> ", match.Path)}, in the record of {match.Domain})";
            await output.WriteLineAsync($"matched:     {match.Mechanism}{via}").ConfigureAwait(false);
        }

        await output.WriteLineAsync($"checked:     ip {request.Ip}, sender {evaluation.Sender}, helo {request.Helo}, domain {evaluation.Domain}").ConfigureAwait(false);
        await output.WriteLineAsync().ConfigureAwait(false);
        await output.WriteLineAsync("trace:").ConfigureAwait(false);
        foreach (var step in evaluation.Trace)
        {
            var kind = step.Kind.ToString().ToLowerInvariant();
            await output.WriteLineAsync($"  [{step.Lookups,2}] {new string(' ', step.Depth * 2)}{kind,-6} {step.Text}").ConfigureAwait(false);
        }

        await output.WriteLineAsync().ConfigureAwait(false);
        await output.WriteLineAsync("include tree (DNS-querying terms per record):").ConfigureAwait(false);
        foreach (var line in evaluation.Tree.Lines())
        {
            await output.WriteLineAsync("  " + line).ConfigureAwait(false);
        }
    }
}
