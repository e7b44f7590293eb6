using MailHealth.Storage.Keys;

namespace MailHealth.Storage.Runs;

/// <summary>
/// Keys of the runs table: PartitionKey = escaped target id; the run's row <c>r{reverse slot}</c>
/// (newest first); its overflow rows <c>x{reverse slot}_{nnn}</c>, a separate range so history
/// queries never read them.
/// </summary>
internal static class RunKeys
{
    public const string RunPrefix = "r";
    public const string OverflowPrefix = "x";

    public static string Partition(string targetId) => KeyText.Checked(KeyText.Escape(targetId), "target id");

    public static string Run(DateTimeOffset slot) => RunPrefix + ReverseTime.Key(slot);

    public static string Overflow(DateTimeOffset slot, int index) => $"{OverflowPrefix}{ReverseTime.Key(slot)}_{index:D3}";

    public static string OverflowStart(DateTimeOffset slot) => $"{OverflowPrefix}{ReverseTime.Key(slot)}_";

    public static string OverflowEnd(DateTimeOffset slot) => $"{OverflowPrefix}{ReverseTime.Key(slot)}`";
}
