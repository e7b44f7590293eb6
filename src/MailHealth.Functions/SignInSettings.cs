using MailHealth.Monitor.Api;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace MailHealth.Functions;

/// <summary>
/// Whether the API accepts callers signed in with Entra ID through App Service Authentication
/// (<see cref="PlatformSignIn"/>; docs/deploy.md, Entra ID sign-in): asked for by
/// <see cref="FunctionsSettings.SignInSetting"/>, and trusted only while the platform itself says its
/// authentication is on (<see cref="FunctionsSettings.PlatformAuthenticationSetting"/>), because only
/// then does it keep callers from setting the principal header themselves.
/// </summary>
internal sealed class SignInSettings
{
    public string? Requested { get; set; }

    public string? Platform { get; set; }

    public bool IsRequested => string.Equals(Requested?.Trim(), "true", StringComparison.OrdinalIgnoreCase);

    public bool IsTrusted => IsRequested && string.Equals(Platform?.Trim(), "true", StringComparison.OrdinalIgnoreCase);

    public static SignInSettings Read(IConfiguration configuration) => new()
    {
        Requested = configuration[FunctionsSettings.SignInSetting],
        Platform = configuration[FunctionsSettings.PlatformAuthenticationSetting],
    };

    /// <summary>A value other than true or false is refused at start-up: a typo must not pass for "off".</summary>
    internal sealed class Validator : IValidateOptions<SignInSettings>
    {
        public ValidateOptionsResult Validate(string? name, SignInSettings options) =>
            string.IsNullOrWhiteSpace(options.Requested) || bool.TryParse(options.Requested.Trim(), out _)
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail($"{FunctionsSettings.SignInSetting}: '{options.Requested}' is not true or false");
    }
}
