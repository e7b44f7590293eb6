using MailHealth.Senders;
using MailHealth.Settings;

namespace MailHealth.Core.Tests.Senders;

/// <summary>The ranges of <c>MailHealth:SenderNaming</c> (docs/configuration.md).</summary>
public sealed class SenderNamingSettingsTests
{
    [Fact]
    public void Validate_Defaults_NoError()
    {
        var errors = new SettingErrors(SenderNamingSettings.Section);

        SenderNamingSettings.Validate(new SenderNamingSettings(), errors);

        Assert.Empty(errors.Errors);
    }

    [Fact]
    public void Validate_OutOfRange_EachNamed()
    {
        var errors = new SettingErrors(SenderNamingSettings.Section);

        SenderNamingSettings.Validate(
            new SenderNamingSettings { PublicSuffixListPath = " ", Concurrency = 0, Deadline = TimeSpan.FromMilliseconds(10), CacheCapacity = -1, CacheAge = TimeSpan.FromDays(2) },
            errors);

        Assert.Equal(
            ["PublicSuffixListPath", "Concurrency", "Deadline", "CacheCapacity", "CacheAge"],
            errors.Errors.Select(e => e.Split(':')[2]));
    }
}
