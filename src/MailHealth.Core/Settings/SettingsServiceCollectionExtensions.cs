using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MailHealth.Settings;

/// <summary>Registers a settings class so that a host refuses to start with a wrong or unknown setting.</summary>
public static class SettingsServiceCollectionExtensions
{
    /// <summary>
    /// Binds a settings class from a section, rejecting unknown names, and validates it at start-up.
    /// Once per class: services that read the same settings (the monitor, and the notifications'
    /// links to the dashboard) may each register them, and every problem is still reported once.
    /// </summary>
    public static IServiceCollection AddValidatedSettings<TSettings>(
        this IServiceCollection services, IConfiguration configuration, string section, Action<TSettings, SettingErrors> validate)
        where TSettings : class
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (services.Any(d => d.ServiceType == typeof(IValidateOptions<TSettings>) && d.ImplementationInstance is SettingsValidation<TSettings>))
        {
            return services;
        }

        // Unknown names are found by the validation, not the binder: the binder's exception does not
        // name the setting's path, and it would hide every other problem of the section.
        services.AddOptions<TSettings>()
            .Bind(configuration.GetSection(section))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<TSettings>>(new SettingsValidation<TSettings>(section, validate, configuration.GetSection(section)));
        return services;
    }
}
