using System.Globalization;
using System.Net;

namespace MailHealth.Testing.Reports;

/// <summary>
/// Many distinct sources of <see cref="Domain"/> that the peers name, for the benchmarks of naming
/// one large report (issue 16, items 4 and 8): 95% from 2001:db8:5f::/48, where Knot makes up a
/// forward-confirmed name for every address (<c>pool-2001-db8-5f--1.senders.test</c>; the first
/// 16,383 are authorised by the SPF record's <c>include:_spf.mailer.senders.test</c>, whose
/// <c>ip6:2001:db8:5f::/114</c> holds them), the rest from 2001:db8:60::/48, which has no PTR.
/// </summary>
public static class SenderPool
{
    public const string Domain = "brand.senders.test";

    /// <summary><paramref name="count"/> distinct addresses, the named ones first.</summary>
    public static IReadOnlyList<IPAddress> Take(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var named = count - (count / 20);
        return [.. Enumerable.Range(1, named).Select(i => Address("2001:db8:5f::", i))
            .Concat(Enumerable.Range(1, count - named).Select(i => Address("2001:db8:60::", i)))];
    }

    private static IPAddress Address(string prefix, int i) => IPAddress.Parse(prefix + i.ToString("x", CultureInfo.InvariantCulture));
}
