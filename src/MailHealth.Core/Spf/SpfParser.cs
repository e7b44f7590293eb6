using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace MailHealth.Spf;

/// <summary>
/// Parses a record by the grammar of RFC 7208 sections 4.6 and 12. The whole record is checked
/// before evaluation (section 4.6: a syntax error anywhere is a permerror), and the first error
/// is reported with its term and character position.
/// </summary>
public static partial class SpfParser
{
    public const string Version = "v=spf1";

    /// <summary>RFC 7208 section 4.5: the record starts with "v=spf1" followed by a space or its end.</summary>
    public static bool IsSpfRecord(string text) =>
        text.StartsWith(Version, StringComparison.OrdinalIgnoreCase) && (text.Length == Version.Length || text[Version.Length] == ' ');

    public static bool TryParse(string text, out SpfRecord? record, out SpfSyntaxError? error)
    {
        record = null;
        error = null;
        if (!IsSpfRecord(text))
        {
            error = new SpfSyntaxError(text.Split(' ')[0], 1, "the record does not start with \"v=spf1\"");
            return false;
        }

        var terms = new List<SpfTerm>();
        var i = Version.Length;
        while (i < text.Length)
        {
            if (text[i] == ' ')
            {
                i++;
                continue;
            }

            var end = text.IndexOf(' ', i);
            if (end < 0)
            {
                end = text.Length;
            }

            var term = text[i..end];
            var position = i + 1;
            if (!TryParseTerm(term, position, out var parsed, out error))
            {
                return false;
            }

            if (parsed is SpfModifier { Name: SpfModifier.Redirect or SpfModifier.Explanation } modifier
                && terms.OfType<SpfModifier>().Any(m => m.Name == modifier.Name))
            {
                // RFC 7208 section 6: redirect and exp may each appear at most once.
                error = new SpfSyntaxError(term, position, $"the {modifier.Name} modifier appears more than once");
                return false;
            }

            terms.Add(parsed!);
            i = end;
        }

        record = new SpfRecord(text, terms);
        return true;
    }

    private static bool TryParseTerm(string term, int position, out SpfTerm? parsed, out SpfSyntaxError? error)
    {
        parsed = null;
        error = null;
        for (var k = 0; k < term.Length; k++)
        {
            if (term[k] < 0x21 || term[k] > 0x7E)
            {
                // RFC 7208 section 3.1 and 4.6.1: records are 7-bit ASCII, terms are separated by spaces only.
                error = new SpfSyntaxError(term, position + k, $"character 0x{(int)term[k]:X2} is not allowed in a record");
                return false;
            }
        }

        var modifier = ModifierName().Match(term);
        if (modifier.Success)
        {
            return TryParseModifier(term, position, modifier.Groups[1].Value, out parsed, out error);
        }

        return TryParseMechanism(term, position, out parsed, out error);
    }

    private static bool TryParseModifier(string term, int position, string name, out SpfTerm? parsed, out SpfSyntaxError? error)
    {
        parsed = null;
        var lower = name.ToLowerInvariant();
        var valueText = term[(name.Length + 1)..];
        var valueOffset = name.Length + 1;
        if (!SpfMacroString.TryParse(valueText, explanation: false, out var value, out var macroError, out var offset))
        {
            error = new SpfSyntaxError(term, position + valueOffset + offset, macroError!);
            return false;
        }

        if (lower is SpfModifier.Redirect or SpfModifier.Explanation && !value!.IsValidDomainSpec(out var domainError))
        {
            // RFC 7208 sections 6.1 and 6.2: both take a domain-spec.
            error = new SpfSyntaxError(term, position + valueOffset, domainError!);
            return false;
        }

        parsed = new SpfModifier(term, position, lower, value!);
        error = null;
        return true;
    }

    private static bool TryParseMechanism(string term, int position, out SpfTerm? parsed, out SpfSyntaxError? error)
    {
        parsed = null;
        var start = 0;
        if (!SpfQualifiers.TryParse(term[0], out var qualifier))
        {
            qualifier = SpfQualifier.Pass;
        }
        else
        {
            start = 1;
        }

        var nameEnd = start;
        while (nameEnd < term.Length && char.IsAsciiLetterOrDigit(term[nameEnd]))
        {
            nameEnd++;
        }

        var name = term[start..nameEnd].ToLowerInvariant();
        var rest = term[nameEnd..];
        var restPosition = position + nameEnd;
        SpfMechanismKind kind;
        switch (name)
        {
            case "all": kind = SpfMechanismKind.All; break;
            case "include": kind = SpfMechanismKind.Include; break;
            case "a": kind = SpfMechanismKind.A; break;
            case "mx": kind = SpfMechanismKind.Mx; break;
            case "ptr": kind = SpfMechanismKind.Ptr; break;
            case "ip4": kind = SpfMechanismKind.Ip4; break;
            case "ip6": kind = SpfMechanismKind.Ip6; break;
            case "exists": kind = SpfMechanismKind.Exists; break;
            default:
                error = new SpfSyntaxError(term, position, name.Length == 0
                    ? "not a mechanism or modifier"
                    : $"unknown mechanism '{name}'");
                return false;
        }

        error = null;
        switch (kind)
        {
            case SpfMechanismKind.All:
                if (rest.Length > 0)
                {
                    error = new SpfSyntaxError(term, restPosition, "\"all\" takes no argument");
                    return false;
                }

                parsed = new SpfMechanism(term, position, qualifier, kind);
                return true;

            case SpfMechanismKind.Include or SpfMechanismKind.Exists:
                if (!rest.StartsWith(':') || rest.Length == 1)
                {
                    error = new SpfSyntaxError(term, restPosition, $"\"{name}\" needs \":domain\"");
                    return false;
                }

                if (!TryDomainSpec(term, rest[1..], restPosition + 1, out var target, out error))
                {
                    return false;
                }

                parsed = new SpfMechanism(term, position, qualifier, kind, target);
                return true;

            case SpfMechanismKind.Ptr:
                SpfMacroString? ptrTarget = null;
                if (rest.Length > 0 && (!rest.StartsWith(':') || !TryDomainSpec(term, rest[1..], restPosition + 1, out ptrTarget, out error)))
                {
                    error ??= new SpfSyntaxError(term, restPosition, "\"ptr\" takes only \":domain\"");
                    return false;
                }

                parsed = new SpfMechanism(term, position, qualifier, kind, ptrTarget);
                return true;

            case SpfMechanismKind.A or SpfMechanismKind.Mx:
                return TryParseAddressMechanism(term, position, qualifier, kind, rest, restPosition, out parsed, out error);

            default:
                return TryParseNetwork(term, position, qualifier, kind, rest, restPosition, out parsed, out error);
        }
    }

    // a / mx [ ":" domain-spec ] [ dual-cidr-length ] (RFC 7208 sections 5.3, 5.4, 5.6)
    private static bool TryParseAddressMechanism(
        string term, int position, SpfQualifier qualifier, SpfMechanismKind kind, string rest, int restPosition,
        out SpfTerm? parsed, out SpfSyntaxError? error)
    {
        parsed = null;
        error = null;
        var match = DualCidr().Match(rest);
        if (!match.Success)
        {
            error = new SpfSyntaxError(term, restPosition, "expected \":domain\" and/or a CIDR length such as \"/24\" or \"//64\"");
            return false;
        }

        var cidrStart = match.Groups["c4"].Success ? match.Groups["c4"].Index - 1 : match.Groups["c6"].Success ? match.Groups["c6"].Index - 2 : rest.Length;
        var domainText = rest[..cidrStart];
        SpfMacroString? target = null;
        if (domainText.Length > 0)
        {
            if (!domainText.StartsWith(':') || domainText.Length == 1)
            {
                error = new SpfSyntaxError(term, restPosition, "expected \":domain\"");
                return false;
            }

            if (!TryDomainSpec(term, domainText[1..], restPosition + 1, out target, out error))
            {
                return false;
            }
        }

        if (!TryCidr(term, match.Groups["c4"], 32, restPosition - 1, out var cidr4, out error)
            || !TryCidr(term, match.Groups["c6"], 128, restPosition - 2, out var cidr6, out error))
        {
            return false;
        }

        parsed = new SpfMechanism(term, position, qualifier, kind, target, null, cidr4, cidr6);
        return true;
    }

    // ip4 ":" ip4-network [ ip4-cidr-length ], ip6 ":" ip6-network [ ip6-cidr-length ] (sections 5.6, 12)
    private static bool TryParseNetwork(
        string term, int position, SpfQualifier qualifier, SpfMechanismKind kind, string rest, int restPosition,
        out SpfTerm? parsed, out SpfSyntaxError? error)
    {
        parsed = null;
        error = null;
        if (!rest.StartsWith(':'))
        {
            error = new SpfSyntaxError(term, restPosition, $"\"{kind.ToString().ToLowerInvariant()}\" needs \":address\"");
            return false;
        }

        var body = rest[1..];
        var slash = body.IndexOf('/');
        var addressText = slash < 0 ? body : body[..slash];
        var cidrText = slash < 0 ? null : body[(slash + 1)..];
        IPAddress? network;
        if (kind == SpfMechanismKind.Ip4)
        {
            network = Ip4Network().IsMatch(addressText) ? IPAddress.Parse(addressText) : null;
        }
        else
        {
            network = addressText.Contains(':', StringComparison.Ordinal)
                && !addressText.Contains('%', StringComparison.Ordinal)
                && IPAddress.TryParse(addressText, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6 ? v6 : null;
        }

        if (network is null)
        {
            error = new SpfSyntaxError(term, restPosition + 1, $"'{addressText}' is not a valid {(kind == SpfMechanismKind.Ip4 ? "IPv4" : "IPv6")} address");
            return false;
        }

        int? cidr = null;
        if (cidrText is not null)
        {
            var max = kind == SpfMechanismKind.Ip4 ? 32 : 128;
            if (!CidrNumber().IsMatch(cidrText) || int.Parse(cidrText, CultureInfo.InvariantCulture) > max)
            {
                error = new SpfSyntaxError(term, restPosition + 1 + slash, $"'/{cidrText}' is not a CIDR length from 0 to {max}");
                return false;
            }

            cidr = int.Parse(cidrText, CultureInfo.InvariantCulture);
        }

        parsed = kind == SpfMechanismKind.Ip4
            ? new SpfMechanism(term, position, qualifier, kind, null, network, cidr, null)
            : new SpfMechanism(term, position, qualifier, kind, null, network, null, cidr);
        return true;
    }

    // slashPosition + group.Index is where the length's "/" (or "//") starts.
    private static bool TryCidr(string term, Group group, int max, int slashPosition, out int? cidr, out SpfSyntaxError? error)
    {
        cidr = null;
        error = null;
        if (!group.Success)
        {
            return true;
        }

        // ip4-cidr-length = "/" ("0" / %x31-39 0*1DIGIT); ip6 likewise up to 128: no leading zeros.
        if (!CidrNumber().IsMatch(group.Value) || int.Parse(group.Value, CultureInfo.InvariantCulture) > max)
        {
            error = new SpfSyntaxError(term, slashPosition + group.Index, $"'{group.Value}' is not a CIDR length from 0 to {max}");
            return false;
        }

        cidr = int.Parse(group.Value, CultureInfo.InvariantCulture);
        return true;
    }

    private static bool TryDomainSpec(string term, string text, int position, out SpfMacroString? domain, out SpfSyntaxError? error)
    {
        error = null;
        if (!SpfMacroString.TryParse(text, explanation: false, out domain, out var macroError, out var offset))
        {
            error = new SpfSyntaxError(term, position + offset, macroError!);
            return false;
        }

        if (!domain!.IsValidDomainSpec(out var domainError))
        {
            error = new SpfSyntaxError(term, position, domainError!);
            return false;
        }

        return true;
    }

    // name = ALPHA *( ALPHA / DIGIT / "-" / "_" / "." ) followed by "=" (RFC 7208 section 4.6.1).
    [GeneratedRegex("^([A-Za-z][A-Za-z0-9_.-]*)=")]
    private static partial Regex ModifierName();

    [GeneratedRegex(@"(?:/(?<c4>\d+))?(?://(?<c6>\d+))?$")]
    private static partial Regex DualCidr();

    [GeneratedRegex("^(0|[1-9][0-9]{0,2})$")]
    private static partial Regex CidrNumber();

    [GeneratedRegex(@"^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])$")]
    private static partial Regex Ip4Network();
}
