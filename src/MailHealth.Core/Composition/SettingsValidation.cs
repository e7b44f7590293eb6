using Microsoft.Extensions.Options;

namespace MailHealth.Composition;

/// <summary>An options validator from a function that lists what is wrong with the bound value.</summary>
public sealed class SettingsValidation<TOptions>(string section, Action<TOptions, SettingErrors> validate) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var errors = new SettingErrors(section);
        validate(options, errors);
        return errors.Errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors.Errors);
    }
}
