using MailHealth.ReceiverReports;
using MailHealth.Settings;
using Microsoft.Extensions.Configuration;

namespace MailHealth.Core.Tests.ReceiverReports;

/// <summary>The caps of report ingestion are validated like every other section of settings.</summary>
public sealed class ReceiverReportSettingsTests
{
    private static IReadOnlyList<string> Problems(params (string Key, string Value)[] values)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>($"{ReceiverReportSettings.Section}:{v.Key}", v.Value)))
            .Build();
        var section = configuration.GetSection(ReceiverReportSettings.Section);
        var settings = section.Get<ReceiverReportSettings>() ?? new ReceiverReportSettings();
        var result = new SettingsValidation<ReceiverReportSettings>(ReceiverReportSettings.Section, ReceiverReportSettings.Validate, section).Validate(null, settings);
        return result.Failures?.ToList() ?? [];
    }

    [Fact]
    public void Defaults_AreValid()
    {
        Assert.Empty(Problems());
        var defaults = new ReceiverReportSettings();
        Assert.Equal((25L << 20, 1L << 30, 100, 16L << 20), (defaults.MaxMessageBytes, defaults.MaxDecompressedBytes, defaults.MaxArchiveEntries, defaults.MaxTlsReportBytes));
    }

    [Theory]
    [InlineData("MaxMessageBytes", "1000", "MailHealth:Reports:MaxMessageBytes: 1000 is not in 65536-1073741824")]
    [InlineData("MaxDecompressedBytes", "17179869185", "MailHealth:Reports:MaxDecompressedBytes: 17179869185 is not in 1048576-17179869184")]
    [InlineData("MaxArchiveEntries", "0", "MailHealth:Reports:MaxArchiveEntries: 0 is not in 1-10000")]
    [InlineData("MaxTlsReportBytes", "65535", "MailHealth:Reports:MaxTlsReportBytes: 65535 is not in 65536-1073741824")]
    [InlineData("MaxArchiveEntrys", "10", "MailHealth:Reports:MaxArchiveEntrys: not a setting of this section (a typo?)")]
    public void OutOfRangeOrUnknown_IsNamed(string key, string value, string problem) => Assert.Equal([problem], Problems((key, value)));
}
