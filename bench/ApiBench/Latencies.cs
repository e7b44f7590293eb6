using System.Globalization;

namespace MailHealth.Bench;

/// <summary>Times in milliseconds summed up as the bench prints them: p50, p95, p99, max.</summary>
internal static class Latencies
{
    public static string Summary(IEnumerable<double> times)
    {
        var all = times.Order().ToList();
        double P(double q) => all.Count == 0 ? double.NaN : all[Math.Min(all.Count - 1, (int)(q * all.Count))];
        return string.Create(CultureInfo.InvariantCulture, $"p50 {P(0.50):F1} ms, p95 {P(0.95):F1} ms, p99 {P(0.99):F1} ms, max {all.LastOrDefault():F1} ms");
    }
}
