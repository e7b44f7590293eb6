using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MailHealth.Monitor.Scheduling;

public static class ScheduleServiceCollectionExtensions
{
    /// <summary>The schedule settings (<see cref="ScheduleSettings"/>) as a host of <paramref name="timers"/> takes them, validated at start-up.</summary>
    public static IServiceCollection AddMailHealthSchedule(this IServiceCollection services, IConfiguration configuration, ScheduleTimers timers)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<ScheduleSettings>()
            .Configure(settings => settings.Read(configuration, timers))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ScheduleSettings>>(new ScheduleValidation());
        return services;
    }

    private sealed class ScheduleValidation : IValidateOptions<ScheduleSettings>
    {
        public ValidateOptionsResult Validate(string? name, ScheduleSettings options) =>
            options.Problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(options.Problems);
    }
}
