using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MailHealth.Cli;

/// <summary>The settings a command composed, validated at once as a host would at start.</summary>
internal static class StartupValidation
{
    /// <summary>Every problem, each named by its setting's path; empty when all is well.</summary>
    public static List<string> Problems(IServiceProvider services)
    {
        var problems = new List<string>();
        try
        {
            services.GetRequiredService<IStartupValidator>().Validate();
        }
        catch (OptionsValidationException e)
        {
            problems.AddRange(e.Failures);
        }
        catch (AggregateException e) when (e.InnerExceptions.All(i => i is OptionsValidationException))
        {
            problems.AddRange(e.InnerExceptions.Cast<OptionsValidationException>().SelectMany(i => i.Failures));
        }
        catch (InvalidOperationException e)
        {
            // The binder's refusal of an unknown or malformed setting.
            problems.Add(e.Message);
        }

        return problems;
    }
}
