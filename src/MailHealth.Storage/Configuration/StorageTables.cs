namespace MailHealth.Storage.Configuration;

/// <summary>The table names after the configured prefix (docs/storage.md describes each).</summary>
public static class StorageTables
{
    public const string Targets = "targets";
    public const string Runs = "runs";
    public const string Latest = "latest";
    public const string Alerts = "alerts";
    public const string AlertIndex = "alertindex";
    public const string Changes = "changes";
    public const string ChangeIndex = "changeindex";
    public const string Fingerprints = "fingerprints";
    public const string Outbox = "outbox";
    public const string Egress = "egress";
    public const string Heartbeats = "heartbeats";
    public const string DkimSelectors = "dkimselectors";

    /// <summary>Receivers' reports: each report's ledger row and its totals per day, by policy domain.</summary>
    public const string Reports = "reports";

    /// <summary>DMARC aggregate reports' rows per policy domain, day, report and source IP.</summary>
    public const string DmarcSources = "dmarcsources";

    /// <summary>The names of DMARC aggregate reports' source addresses, per policy domain and address.</summary>
    public const string DmarcSenders = "dmarcsenders";

    /// <summary>SMTP TLS reports' sessions per policy domain, day, report, policy, MX host and result type.</summary>
    public const string TlsResults = "tlsresults";

    /// <summary>Each report input as received and what became of every report in it.</summary>
    public const string ReportInputs = "reportinputs";

    /// <summary>The policy domains reports arrived for, matched to a target or not.</summary>
    public const string ReportDomains = "reportdomains";

    public static IReadOnlyList<string> All { get; } =
    [
        Targets, Runs, Latest, Alerts, AlertIndex, Changes, ChangeIndex, Fingerprints, Outbox, Egress, Heartbeats, DkimSelectors,
        Reports, DmarcSources, DmarcSenders, TlsResults, ReportInputs, ReportDomains,
    ];
}
