using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MailHealth.Monitor;

/// <summary>
/// The settings problems a host finds at start-up, for both hosts: every setting validated at
/// once, as the host would before serving, and each problem a line naming its setting's path.
/// </summary>
public static class StartupErrors
{
    /// <summary>The settings problems in what start-up validation threw (one options type throws one exception, several an aggregate); empty when it is no settings problem.</summary>
    public static IReadOnlyList<string> Of(Exception exception) => exception switch
    {
        OptionsValidationException options => [.. options.Failures],
        AggregateException aggregate => [.. aggregate.InnerExceptions.SelectMany(Of)],

        // The binder's own error for a value of the wrong type names the path already.
        InvalidOperationException binder when binder.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal) => [binder.Message],
        _ => [],
    };

    /// <summary>Validates every setting of <paramref name="services"/> (its <see cref="IStartupValidator"/>); the problems, or none.</summary>
    public static IReadOnlyList<string> Collect(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        try
        {
            services.GetRequiredService<IStartupValidator>().Validate();
            return [];
        }
        catch (Exception e) when (Of(e) is { Count: > 0 } problems)
        {
            return problems;
        }
    }
}
