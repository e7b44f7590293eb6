namespace MailHealth.Testing.Reports;

/// <summary>Rows of generated aggregate reports: deterministic mixes of sources and results, produced as they are read.</summary>
public static class AggregateRows
{
    /// <summary>
    /// <paramref name="count"/> rows over <paramref name="sources"/> distinct source addresses: most
    /// pass with an aligned DKIM signature and SPF, every seventh fails both (a sender nobody
    /// authorised), every eleventh passes SPF only.
    /// </summary>
    public static IEnumerable<AggregateRow> Mixed(string domain, int count, int sources, bool envelopeFrom = true)
    {
        for (var i = 0; i < count; i++)
        {
            var spoofed = i % 7 == 6;
            var spfOnly = !spoofed && i % 11 == 10;
            yield return new AggregateRow
            {
                SourceIp = DocumentationAddresses.Nth(i % sources),
                Count = ((i % 5) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
                Disposition = spoofed ? "quarantine" : "none",
                Dkim = spoofed || spfOnly ? "fail" : "pass",
                Spf = spoofed ? "fail" : "pass",
                HeaderFrom = domain,
                EnvelopeFrom = envelopeFrom ? (spoofed ? "example.org" : domain) : null,
                DkimResults = spfOnly ? [] : [new DkimSignatureResult(spoofed ? "example.org" : domain, "s2026", spoofed ? "fail" : "pass")],
                SpfResults = [new SpfCheckResult(spoofed ? "example.org" : domain, spoofed ? "softfail" : "pass")],
            };
        }
    }
}
