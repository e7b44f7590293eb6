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
            new SenderNamingSettings { PublicSuffixListPath = " ", Concurrency = 0, Deadline = TimeSpan.FromMilliseconds(10), CacheCapacity = -1, CacheAge = TimeSpan.FromDays(2), RenameAfter = TimeSpan.FromMinutes(59), RetryAfter = TimeSpan.FromDays(2) },
            errors);

        Assert.Equal(
            ["PublicSuffixListPath", "Concurrency", "Deadline", "CacheCapacity", "CacheAge", "RenameAfter", "RetryAfter"],
            errors.Errors.Select(e => e.Split(':')[2]));
    }

    [Fact]
    public void PublicSuffixListFile_RelativePath_IsUnderTheApplicationsDirectory()
    {
        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "public_suffix_list.dat"), new SenderNamingSettings { PublicSuffixListPath = "public_suffix_list.dat" }.PublicSuffixListFile());
        Assert.Equal("/usr/share/publicsuffix/public_suffix_list.dat", new SenderNamingSettings().PublicSuffixListFile());
    }
}
