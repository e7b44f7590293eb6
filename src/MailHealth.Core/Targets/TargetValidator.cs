using System.Net;
using MailHealth.Dns;
using MailHealth.Network;

namespace MailHealth.Targets;

/// <summary>
/// The one place a target definition is judged, for the command line, the targets file, the
/// configuration and the HTTP API alike: every problem is reported, each with its field.
/// </summary>
public static class TargetValidator
{
    /// <summary>Most items a list field may have: more is a mistake, not a mail setup.</summary>
    public const int MaxItems = 64;

    /// <summary>Longest id (fits a Table key and a URL segment comfortably).</summary>
    public const int MaxIdLength = 63;

    public static TargetValidation Validate(TargetDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var errors = new List<TargetError>();

        DomainName? domain = null;
        if (string.IsNullOrWhiteSpace(definition.Domain))
        {
            errors.Add(new("domain", null, "is required"));
        }
        else if (!DomainName.TryParse(definition.Domain, out domain, out var domainError))
        {
            errors.Add(new("domain", null, domainError));
        }

        var id = definition.Id;
        if (id is null && domain is not null)
        {
            id = IdFor(domain.Ascii);
        }
        else if (id is not null && IdProblem(id) is { } idProblem)
        {
            errors.Add(new("id", null, idProblem));
        }

        var hosts = Each(definition.Hosts, "hosts", errors, ParseHost);
        var ports = Each(definition.Ports, "ports", errors, ParsePort);
        var seenPorts = new HashSet<int>();
        for (var i = 0; i < ports.Count; i++)
        {
            if (!seenPorts.Add(ports[i].Port))
            {
                errors.Add(new("ports", i, $"port {ports[i].Port} is given twice"));
            }
        }

        var selectors = Each(definition.DkimSelectors, "dkimSelectors", errors, ParseSelector);
        string? bimiSelector = null;
        if (definition.BimiSelector is { } bimi)
        {
            (bimiSelector, var bimiError) = ParseSelector(bimi);
            if (bimiError is not null)
            {
                errors.Add(new("bimiSelector", null, bimiError));
            }
        }

        var sendingIps = Each(definition.SendingIps, "sendingIps", errors, ParseIp);
        var zones = definition.Dnsbl is null ? null : Each(definition.Dnsbl, "dnsbl", errors, ParseZone);
        var tags = Each(definition.Tags, "tags", errors, ParseTag);
        var checks = definition.Checks is null ? null : Each(definition.Checks, "checks", errors, ParseCheck);
        if (definition.Checks is { Count: 0 })
        {
            errors.Add(new("checks", null, "names no check; leave it out to run every check"));
        }

        if (errors.Count > 0 || domain is null || id is null)
        {
            return new TargetValidation(null, errors);
        }

        var target = new Target
        {
            Id = id,
            Domain = domain.Ascii,
            DisplayDomain = domain.Unicode,
            Hosts = hosts.Distinct(StringComparer.Ordinal).ToList(),
            Ports = definition.Ports is null ? PortSpec.Defaults : ports,
            DkimSelectors = selectors.Distinct(StringComparer.Ordinal).ToList(),
            BimiSelector = bimiSelector,
            SendingIps = sendingIps.Distinct().ToList(),
            DnsblZones = zones?.Distinct(StringComparer.Ordinal).ToList(),
            RelayTest = definition.RelayTest ?? false,
            // Report order, each once: a stored target reads the same however it was written.
            Checks = checks is null ? null : [.. CheckKinds.All.Where(checks.Contains)],
            Enabled = definition.Enabled ?? true,
            Tags = tags.Distinct(StringComparer.Ordinal).ToList(),
        };
        return new TargetValidation(target, []);
    }

    /// <summary>The default id of a domain: its ASCII form with dots as dashes (<c>mail-example-com</c>), cut to the id's length.</summary>
    public static string IdFor(string asciiDomain)
    {
        ArgumentNullException.ThrowIfNull(asciiDomain);
        var id = asciiDomain.ToLowerInvariant().Replace('.', '-');
        return id.Length <= MaxIdLength ? id : id[..MaxIdLength].TrimEnd('-');
    }

    /// <summary>Why a text is not a target id, or null when it is one.</summary>
    public static string? IdProblem(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (id.Length is 0 or > MaxIdLength)
        {
            return $"'{Shorten(id)}' is not an id: 1-{MaxIdLength} characters";
        }

        // Ids appear in URLs and Table keys: no '/', '#', '?', quotes or control characters, ever.
        return id.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-') && id[0] != '-' && id[^1] != '-'
            ? null
            : $"'{Shorten(id)}' is not an id: lower-case letters, digits and '-', not starting or ending with '-'";
    }

    private static List<T> Each<T>(List<string>? items, string field, List<TargetError> errors, Func<string, (T Value, string? Error)> parse)
    {
        var values = new List<T>();
        if (items is null)
        {
            return values;
        }

        if (items.Count > MaxItems)
        {
            errors.Add(new(field, null, $"{items.Count} items; at most {MaxItems}"));
            return values;
        }

        for (var i = 0; i < items.Count; i++)
        {
            var (value, error) = items[i] is null ? (default!, "is empty") : parse(items[i]);
            if (error is not null)
            {
                errors.Add(new(field, i, error));
            }
            else
            {
                values.Add(value);
            }
        }

        return values;
    }

    private static (string, string?) ParseHost(string text) =>
        // Strictly an address, or else a name: "1.2.3" must not become the address 1.2.0.3.
        IpAddressText.TryParse(text, out var address) ? (address.ToString(), null)
        : DomainName.TryParse(text, out var name, out var error) ? (name.Ascii, null)
        : (null!, error);

    private static (PortSpec, string?) ParsePort(string text) =>
        PortSpec.TryParse(text, out var spec, out var error) ? (spec.Value, null) : (default, error);

    private static (string, string?) ParseSelector(string text)
    {
        // RFC 6376 section 3.1: a selector is one or more sub-domain labels.
        var labels = text.Split('.');
        return text.Length == 0 || labels.Any(l => l.Length is 0 or > 63 || !l.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            ? (null!, $"'{Shorten(text)}' is not a valid selector")
            : (text.ToLowerInvariant(), null);
    }

    private static (IPAddress, string?) ParseIp(string text) =>
        IpAddressText.TryParse(text, out var address) ? (address, null) : (null!, $"'{Shorten(text)}' is not an IP address");

    private static (string, string?) ParseZone(string text) =>
        DomainName.TryParse(text, out var name, out var error) ? (name.Ascii, null) : (null!, error);

    private static (string, string?) ParseTag(string text)
    {
        var tag = text.Trim().ToLowerInvariant();
        return tag.Length is > 0 and <= 64 && tag.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
            ? (tag, null)
            : (null!, $"'{Shorten(text)}' is not a tag: 1-64 letters, digits, '-', '_' or '.'");
    }

    private static (string, string?) ParseCheck(string text) =>
        CheckKinds.Parse(text) is { } kind
            ? (kind, null)
            : (null!, $"'{Shorten(text)}' is not a check; the checks are {string.Join(", ", CheckKinds.All)}");

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..77] + "...";
}
