using Microsoft.Extensions.Options;

namespace MailHealth.Functions;

/// <summary>The settings problems in what start-up validation threw (one options type throws one exception, several an aggregate).</summary>
public static class StartupErrors
{
    public static IReadOnlyList<string> Of(Exception exception) => exception switch
    {
        OptionsValidationException options => [.. options.Failures],
        AggregateException aggregate => [.. aggregate.InnerExceptions.SelectMany(Of)],

        // The binder's own error for a value of the wrong type names the path already.
        InvalidOperationException binder when binder.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal) => [binder.Message],
        _ => [],
    };
}
