using MailHealth.Targets;

namespace MailHealth.Core.Tests.Targets;

public sealed class PortSpecTests
{
    [Theory]
    [InlineData("25", 25, SmtpRole.Smtp)]
    [InlineData("587", 587, SmtpRole.Submission)]
    [InlineData("465", 465, SmtpRole.Submissions)]
    [InlineData("2525:smtp", 2525, SmtpRole.Smtp)]
    [InlineData("2587:Submission", 2587, SmtpRole.Submission)]
    [InlineData("25:submissions", 25, SmtpRole.Submissions)]
    public void TryParse_Valid(string text, int port, SmtpRole role)
    {
        Assert.True(PortSpec.TryParse(text, out var spec, out var error), error);
        Assert.Equal(new PortSpec(port, role), spec);
    }

    [Theory]
    [InlineData("2525", "name its role")]
    [InlineData("0", "out of range")]
    [InlineData("65536", "out of range")]
    [InlineData("25:relay", "unknown role")]
    [InlineData("smtp", "not a port")]
    [InlineData("25:smtp:x", "not a port")]
    [InlineData("-25", "not a port")]
    public void TryParse_Invalid_SaysWhy(string text, string reason)
    {
        Assert.False(PortSpec.TryParse(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_OmitsTheRoleOfAWellKnownPort()
    {
        Assert.Equal("587", new PortSpec(587, SmtpRole.Submission).ToString());
        Assert.Equal("2525:smtp", new PortSpec(2525, SmtpRole.Smtp).ToString());
    }
}
