using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace MailHealth.Settings;

/// <summary>
/// An options validator from a function that lists what is wrong with the bound value; given the
/// section the value was bound from, a name that is no setting of <typeparamref name="TOptions"/>
/// is an error too (a typo must not pass for a default).
/// </summary>
public sealed class SettingsValidation<TOptions>(string section, Action<TOptions, SettingErrors> validate, IConfiguration? configured = null) : IValidateOptions<TOptions>
    where TOptions : class
{
    private static readonly HashSet<string> Known = typeof(TOptions)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Select(p => p.Name)
        .ToHashSet(StringComparer.OrdinalIgnoreCase);

    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var errors = new SettingErrors(section);
        foreach (var child in configured?.GetChildren() ?? [])
        {
            if (!Known.Contains(child.Key))
            {
                errors.Add(child.Key, "not a setting of this section (a typo?)");
            }
        }

        validate(options, errors);
        return errors.Errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors.Errors);
    }
}
