using MailHealth.Storage.Paging;

namespace MailHealth.Storage.Tests.Paging;

public sealed class ContinuationTokenTests
{
    [Fact]
    public void WrapThenUnwrap_SameQuery_ReturnsTheServiceToken()
    {
        var token = ContinuationToken.Wrap("1!8!dGFyZ2V0 1!12!cjAwMQ--", "PartitionKey eq 't'");

        Assert.Equal("1!8!dGFyZ2V0 1!12!cjAwMQ--", ContinuationToken.Unwrap(token, "PartitionKey eq 't'"));
        Assert.DoesNotContain("PartitionKey", token, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("%%%")]
    [InlineData("dGhpcyBpcyBub3QgYSB0b2tlbg")]
    [InlineData("djEuMDAwMDAwMDAwMDAwMDAwMC4")]
    public void Unwrap_Garbage_ThrowsInvalidContinuationToken(string token)
    {
        Assert.Throws<InvalidContinuationTokenException>(() => ContinuationToken.Unwrap(token, "q"));
    }

    [Fact]
    public void Unwrap_TokenOfAnotherQuery_Throws()
    {
        var token = ContinuationToken.Wrap("next", "PartitionKey eq 'a'");

        Assert.Throws<InvalidContinuationTokenException>(() => ContinuationToken.Unwrap(token, "PartitionKey eq 'b'"));
    }

    [Fact]
    public void Wrap_NoServiceToken_IsNull()
    {
        Assert.Null(ContinuationToken.Wrap(null, "q"));
        Assert.Null(ContinuationToken.Unwrap(null, "q"));
    }
}
