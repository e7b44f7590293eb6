using MailHealth.Storage.Keys;

namespace MailHealth.Storage.Tests.Keys;

public sealed class KeyTextTests
{
    [Theory]
    [InlineData("example-com", "example-com")]
    [InlineData("a/b", "a%2Fb")]
    [InlineData("a#b?c\\d", "a%23b%3Fc%5Cd")]
    [InlineData("100%", "100%25")]
    [InlineData("t|x", "t%7Cx")]
    [InlineData("tab\there", "tab%09here")]
    [InlineData("smtp:mx1.example.com:25", "smtp:mx1.example.com:25")]
    [InlineData("bücher", "bücher")]
    public void Escape_ThenUnescape_RoundTrips(string text, string key)
    {
        Assert.Equal(key, KeyText.Escape(text));
        Assert.Equal(text, KeyText.Unescape(key));
    }

    [Fact]
    public void Escape_IsInjective_OnLookalikes()
    {
        Assert.NotEqual(KeyText.Escape("a/b"), KeyText.Escape("a%2Fb"));
    }

    [Fact]
    public void ReverseTime_SortsNewestFirst_AndParsesBack()
    {
        var older = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var newer = older.AddMinutes(5);

        Assert.True(string.CompareOrdinal(ReverseTime.Key(newer), ReverseTime.Key(older)) < 0);
        Assert.Equal(19, ReverseTime.Key(older).Length);
        Assert.True(ReverseTime.TryParse(ReverseTime.Key(newer), out var parsed));
        Assert.Equal(newer, parsed);
    }
}
