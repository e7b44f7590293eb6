using System.Globalization;

namespace MailHealth.Settings;

/// <summary>
/// Collects what is wrong with a section of settings, each message naming the setting's full path
/// (<c>MailHealth:Checks:MaxConcurrency: 0 is not in 1-1024</c>) so start-up says exactly what to fix.
/// </summary>
public sealed class SettingErrors(string section)
{
    private readonly List<string> _errors = [];

    public IReadOnlyList<string> Errors => _errors;

    public void Add(string setting, string message) => _errors.Add($"{section}:{setting}: {message}");

    public void Range(string setting, int value, int min, int max) => Range(setting, (long)value, min, max);

    public void Range(string setting, long value, long min, long max)
    {
        if (value < min || value > max)
        {
            Add(setting, string.Create(CultureInfo.InvariantCulture, $"{value} is not in {min}-{max}"));
        }
    }

    public void Range(string setting, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            Add(setting, $"{Show(value)} is not in {Show(min)}-{Show(max)}");
        }
    }

    private static string Show(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);
}
