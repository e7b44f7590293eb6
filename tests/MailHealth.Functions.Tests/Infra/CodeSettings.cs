using System.Reflection;
using MailHealth.Storage.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MailHealth.Functions.Tests.Infra;

/// <summary>
/// The settings the Functions app reads, derived from the code rather than copied: every options
/// class the app binds from configuration (its section constant and its properties, down into
/// lists and dictionaries), and the app settings the app and its triggers name in constants.
/// Paths use <c>:</c>; <c>{n}</c> stands for a list index, <c>{name}</c> for a dictionary key.
/// </summary>
public static class CodeSettings
{
    public const string Index = "{n}";
    public const string Key = "{name}";

    public static IReadOnlyList<string> All { get; } = [.. Bound().Concat(AppSettings()).Order(StringComparer.Ordinal)];

    /// <summary>The options types registered as bound from configuration (each Bind registers a change-token source).</summary>
    public static IReadOnlyList<Type> BoundTypes()
    {
        var services = new ServiceCollection();
        MailHealthFunctionsApp.AddMailHealthFunctions(services, new ConfigurationBuilder().Build());
        return [.. services
            .Where(d => d.ServiceType.IsGenericType && d.ServiceType.GetGenericTypeDefinition() == typeof(IOptionsChangeTokenSource<>))
            .Select(d => d.ServiceType.GetGenericArguments()[0])
            .Distinct()];
    }

    private static IEnumerable<string> Bound() =>
        BoundTypes().SelectMany(type => Properties(type, Section(type)));

    private static string Section(Type type) =>
        type.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.Name is "Section" or "SectionPath")
            .Select(f => (string)f.GetRawConstantValue()!)
            .Single();

    /// <summary>The app settings named in constants: the triggers' (<see cref="FunctionsSettings"/>) and the telemetry's.</summary>
    private static IEnumerable<string> AppSettings()
    {
        foreach (var type in new[] { typeof(FunctionsSettings), typeof(MailHealthFunctionsApp) })
        {
            foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral && f.Name.EndsWith("Setting", StringComparison.Ordinal)))
            {
                yield return (string)field.GetRawConstantValue()!;
            }
        }

        yield return FunctionsSettings.StorageConnection;
        foreach (var identity in FunctionsSettings.StorageIdentitySettings)
        {
            yield return $"{FunctionsSettings.StorageConnection}:{identity}";
        }
    }

    private static IEnumerable<string> Properties(Type type, string path)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var name = $"{path}:{property.Name}";
            var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (IsValue(propertyType))
            {
                yield return name;
            }
            else if (DictionaryValue(propertyType) is { } value)
            {
                foreach (var setting in Element(value, $"{name}:{Key}"))
                {
                    yield return setting;
                }
            }
            else if (ListElement(propertyType) is { } element)
            {
                foreach (var setting in Element(element, $"{name}:{Index}"))
                {
                    yield return setting;
                }
            }
            else if (IsOurs(propertyType))
            {
                foreach (var setting in Properties(propertyType, name))
                {
                    yield return setting;
                }
            }

            // Anything else (the certificates CheckOptions loads from TrustRootsFile) is not read from configuration.
        }
    }

    private static IEnumerable<string> Element(Type element, string path) =>
        IsValue(element) ? [path] : IsOurs(element) ? Properties(element, path) : [];

    private static bool IsValue(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan) || type == typeof(Uri) || type == typeof(DateTimeOffset);

    private static bool IsOurs(Type type) => type.IsClass && type.Namespace?.StartsWith("MailHealth", StringComparison.Ordinal) == true;

    private static Type? DictionaryValue(Type type) =>
        Generic(type, typeof(IDictionary<,>)) is [var key, var value] && key == typeof(string) ? value : null;

    private static Type? ListElement(Type type) =>
        type.IsArray ? type.GetElementType() : Generic(type, typeof(IList<>)) is [var element] ? element : null;

    private static Type[]? Generic(Type type, Type definition) =>
        (type.IsGenericType && type.GetGenericTypeDefinition() == definition ? type : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == definition))
            ?.GetGenericArguments();

    /// <summary>Whether <paramref name="setting"/> (an app setting name, <c>__</c> or <c>:</c>, <c>{0}</c> for a template's index) is the path <paramref name="pattern"/>.</summary>
    public static bool Matches(string pattern, string setting)
    {
        var expected = pattern.Split(':');
        var actual = setting.Replace("__", ":", StringComparison.Ordinal).Split(':');
        return expected.Length == actual.Length && expected.Zip(actual).All(p => p.First switch
        {
            Key => p.Second.Length > 0,
            Index => p.Second.All(char.IsAsciiDigit) || (p.Second.StartsWith('{') && p.Second.EndsWith('}')),
            _ => string.Equals(p.First, p.Second, StringComparison.OrdinalIgnoreCase),
        });
    }

    /// <summary>The <c>MailHealth:Storage</c> settings the Functions app derives from its triggers' settings.</summary>
    public static IReadOnlyList<string> DerivedStorageSettings { get; } =
        [.. FunctionsStorage.DerivedSettings.Select(s => $"{StorageOptions.SectionPath}:{s}")];
}
