using MailHealth.Bimi;
using MailHealth.Blocklists;
using MailHealth.Dane;
using MailHealth.Dkim;
using MailHealth.Dmarc;
using MailHealth.Dnssec;
using MailHealth.MtaSts;
using MailHealth.Mx;
using MailHealth.ReverseDns;
using MailHealth.Smtp;
using MailHealth.Spf;
using MailHealth.TlsRpt;

namespace MailHealth.Checks;

/// <summary>The checks MailHealth runs, in report order, and the shared stages they build on.</summary>
public static class CheckSuite
{
    public static IReadOnlyList<ICheck> All { get; } =
    [
        new MxCheck(),
        new SmtpCheck(),
        new SpfCheck(),
        new DkimCheck(),
        new DmarcCheck(),
        new MtaStsCheck(),
        new TlsRptCheck(),
        new DnssecCheck(),
        new DaneCheck(),
        new BimiCheck(),
        new ReverseDnsCheck(),
        new BlocklistCheck(),
    ];

    public static CheckServices Services { get; } = new(
        MxLookup.LookupAsync,
        MailHostResolver.ResolveAsync,
        SmtpProbeRunner.ProbeAllAsync);

    public static DomainChecker CreateChecker(TimeProvider time) => new(All, Services, time);
}
