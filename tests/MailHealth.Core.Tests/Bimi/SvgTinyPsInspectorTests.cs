using System.Text;
using MailHealth.Bimi;

namespace MailHealth.Core.Tests.Bimi;

/// <summary>
/// The SVG Tiny PS basics on documents the peers' logo host does not serve (the served logos are
/// in <see cref="BimiCheckTests"/>): the root element, well-formedness, entities, event handlers.
/// </summary>
public sealed class SvgTinyPsInspectorTests
{
    private const string Good =
        """<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" version="1.2" baseProfile="tiny-ps" viewBox="0 0 10 10">"""
        + """<title>Brand</title><defs><circle id="c" cx="5" cy="5" r="4"/></defs><use xlink:href="#c"/></svg>""";

    private static IReadOnlyList<string> Inspect(string svg) => SvgTinyPsInspector.Inspect(Encoding.UTF8.GetBytes(svg));

    [Fact]
    public void Inspect_TinyPsWithTitleAndALocalReference_HasNoProblems() => Assert.Empty(Inspect(Good));

    [Theory]
    [InlineData("""<html xmlns="http://www.w3.org/1999/xhtml" baseProfile="tiny-ps"><title>Brand</title></html>""", "the root element is <html>, not an SVG <svg>")]
    [InlineData("""<svg baseProfile="tiny-ps"><title>Brand</title></svg>""", "the root element is <svg>, not an SVG <svg>")]
    [InlineData("""<svg xmlns="http://www.w3.org/2000/svg" baseProfile="tiny"><title>Brand</title></svg>""", "no baseProfile=\"tiny-ps\"")]
    [InlineData("""<svg xmlns="http://www.w3.org/2000/svg" baseProfile="tiny-ps"><g><title>Brand</title></g></svg>""", "no <title>")]
    [InlineData("""<svg xmlns="http://www.w3.org/2000/svg" baseProfile="tiny-ps" onload="go()"><title>Brand</title></svg>""", "event handler (onload)")]
    [InlineData("""<svg xmlns="http://www.w3.org/2000/svg" baseProfile="tiny-ps"><title>Brand</title><foreignObject/></svg>""", "<foreignObject>")]
    [InlineData("""<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" baseProfile="tiny-ps"><title>Brand</title><use xlink:href="other.svg#c"/></svg>""", "refers to other.svg#c outside the document")]
    [InlineData("""<svg xmlns="http://www.w3.org/2000/svg" baseProfile="tiny-ps"><title>Brand</title>""", "not well-formed XML")]
    public void Inspect_NotTinyPs_SaysWhy(string svg, string problem)
    {
        Assert.Contains(Inspect(svg), p => p.Contains(problem, StringComparison.Ordinal));
    }

    [Fact]
    public void Inspect_ExternalEntity_IsRefusedNotFetched()
    {
        // An external entity is an external reference too; DTDs are refused before anything is read.
        var svg = """<!DOCTYPE svg [<!ENTITY logo SYSTEM "https://elsewhere.example/logo.svg">]>""" + Good.Replace("<title>Brand</title>", "<title>&logo;</title>", StringComparison.Ordinal);

        Assert.Contains(Inspect(svg), p => p.Contains("declares a DTD", StringComparison.Ordinal));
    }

    [Fact]
    public void Inspect_DoctypeOfAnEditor_IsNamedAsADtdNotAsBadXml()
    {
        // Editors write SVG 1.1's DOCTYPE; the document is well-formed, the DTD is the problem.
        var svg = """<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">""" + Good;

        var problems = Inspect(svg);

        Assert.Contains(problems, p => p.StartsWith("it declares a DTD", StringComparison.Ordinal));
        Assert.DoesNotContain(problems, p => p.Contains("not well-formed", StringComparison.Ordinal));
    }
}
