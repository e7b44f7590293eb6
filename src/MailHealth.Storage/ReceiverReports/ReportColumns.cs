using Azure.Data.Tables;
using MailHealth.ReportTotals;

namespace MailHealth.Storage.ReceiverReports;

/// <summary>How counts are laid over an entity's columns: each count of <see cref="DmarcCounts"/> under its name, a TLS tally as <c>Successful</c> and <c>Failed</c>.</summary>
internal static class ReportColumns
{
    public const string Successful = "Successful";
    public const string Failed = "Failed";

    public static TableEntity With(this TableEntity entity, DmarcCounts? counts)
    {
        if (counts is not null)
        {
            var values = counts.Values;
            for (var i = 0; i < values.Count; i++)
            {
                entity[DmarcCounts.Names[i]] = values[i];
            }
        }

        return entity;
    }

    public static TableEntity With(this TableEntity entity, TlsSessionCounts? counts)
    {
        if (counts is not null)
        {
            entity[Successful] = counts.Successful;
            entity[Failed] = counts.Failed;
        }

        return entity;
    }

    public static DmarcCounts Dmarc(TableEntity entity) =>
        DmarcCounts.FromValues([.. DmarcCounts.Names.Select(name => entity.GetDouble(name) ?? 0)]);

    public static TlsSessionCounts Tls(TableEntity entity) =>
        new(entity.GetDouble(Successful) ?? 0, entity.GetDouble(Failed) ?? 0);
}
