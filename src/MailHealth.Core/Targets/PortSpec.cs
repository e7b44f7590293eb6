using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace MailHealth.Targets;

/// <summary>A port to probe and the role it plays: <c>25</c>, <c>587</c>, <c>465</c> or <c>2525:smtp</c>.</summary>
public readonly record struct PortSpec(int Port, SmtpRole Role)
{
    public static IReadOnlyList<PortSpec> Defaults { get; } =
        [new(25, SmtpRole.Smtp), new(587, SmtpRole.Submission), new(465, SmtpRole.Submissions)];

    /// <summary>The role a well-known port plays; null for any other port.</summary>
    public static SmtpRole? WellKnownRole(int port) => port switch
    {
        25 => SmtpRole.Smtp,
        587 => SmtpRole.Submission,
        465 => SmtpRole.Submissions,
        _ => null,
    };

    /// <summary>Parses <c>PORT</c> or <c>PORT:ROLE</c>; a port other than 25, 587 or 465 must name its role.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out PortSpec? spec, [NotNullWhen(false)] out string? error)
    {
        spec = null;
        var parts = text.Trim().Split(':');
        if (parts.Length > 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            error = $"'{text}' is not a port: expected PORT or PORT:ROLE, such as 25 or 2525:smtp";
            return false;
        }

        if (port is < 1 or > 65535)
        {
            error = $"port {port} is out of range (1-65535)";
            return false;
        }

        SmtpRole role;
        if (parts.Length == 2)
        {
            if (!TryParseRole(parts[1], out role))
            {
                error = $"unknown role '{parts[1]}' for port {port}: use smtp, submission or submissions";
                return false;
            }
        }
        else if (WellKnownRole(port) is { } known)
        {
            role = known;
        }
        else
        {
            error = $"port {port} is not a standard mail port: name its role, such as {port}:smtp, {port}:submission or {port}:submissions";
            return false;
        }

        spec = new PortSpec(port, role);
        error = null;
        return true;
    }

    public static bool TryParseRole(string text, out SmtpRole role)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "smtp": role = SmtpRole.Smtp; return true;
            case "submission": role = SmtpRole.Submission; return true;
            case "submissions": role = SmtpRole.Submissions; return true;
            default: role = default; return false;
        }
    }

    public override string ToString() =>
        WellKnownRole(Port) == Role ? Port.ToString(CultureInfo.InvariantCulture) : $"{Port}:{Role.ToString().ToLowerInvariant()}";
}
