using MailHealth.Dkim;

namespace MailHealth.Core.Tests.Dkim;

/// <summary>The tag=value list grammar of RFC 6376 section 3.2, shared by DKIM and DMARC records.</summary>
public sealed class TagListTests
{
    [Fact]
    public void Parse_WhitespaceAroundNamesAndValues_IsNotPartOfThem()
    {
        var tags = TagList.Parse(" a = 1 ;\tb=two words\r\n ; c= ");

        Assert.Empty(tags.Problems);
        Assert.Equal(["a", "b", "c"], tags.Tags.Select(t => t.Key));
        Assert.Equal("1", tags["a"]);
        Assert.Equal("two words", tags["b"]);
        Assert.Equal("", tags["c"]);
    }

    [Fact]
    public void Parse_TrailingSemicolon_IsAllowed()
    {
        var tags = TagList.Parse("v=DKIM1; p=abc;");

        Assert.Empty(tags.Problems);
        Assert.Equal(2, tags.Tags.Count);
    }

    [Fact]
    public void Parse_DuplicateTag_IsAProblemAndTheFirstValueIsKept()
    {
        var tags = TagList.Parse("p=first; k=rsa; p=second");

        Assert.Equal(["p"], tags.Duplicates);
        Assert.Contains(tags.Problems, p => p.Contains("more than once", StringComparison.Ordinal));
        Assert.Equal("first", tags["p"]);
    }

    [Theory]
    [InlineData("hello world", "not a tag=value pair")]
    [InlineData("1a=2", "not a valid tag name")]
    [InlineData("a=1;;b=2", "empty tag")]
    [InlineData("", "empty")]
    [InlineData("a=caf\u00e9", "character not allowed")]
    public void Parse_BrokenGrammar_IsReportedNotThrown(string text, string problem)
    {
        var tags = TagList.Parse(text);

        Assert.Contains(tags.Problems, p => p.Contains(problem, StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_NamesAreCaseSensitiveUnlessFolded()
    {
        Assert.Null(TagList.Parse("P=abc")["p"]);
        Assert.Equal("abc", TagList.Parse("P=abc", lowerCaseNames: true)["p"]);
    }

    [Fact]
    public void Parse_ValueWithEqualsSign_KeepsEverythingAfterTheFirst()
    {
        Assert.Equal("YWJj==", TagList.Parse("p=YWJj==")["p"]);
    }

    [Fact]
    public void SplitList_TrimsItemsAndDropsEmptyOnes()
    {
        Assert.Equal(["sha1", "sha256"], TagList.SplitList(" sha1 : sha256 :"));
    }
}
