using MailHealth.Changes;

namespace MailHealth.Core.Tests.Changes;

/// <summary>Comparing fingerprints: real changes become events, what a run could not read never does.</summary>
public sealed class ChangeDetectorTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 29, 16, 5, 0, TimeSpan.Zero);

    private static RunFingerprint Print(IEnumerable<(string Item, string Value)> items, params string[] unread) =>
        new(items.ToDictionary(i => i.Item, i => i.Value, StringComparer.Ordinal)) { Unread = unread.ToHashSet(StringComparer.Ordinal) };

    private static RunFingerprint Print(params (string Item, string Value)[] items) => Print(items, []);

    private static IReadOnlyList<ChangeEvent> Compare(RunFingerprint? before, RunFingerprint after) =>
        ChangeDetector.Compare(before, after, "demo", "demo/20261129T160500Z", At);

    [Fact]
    public void Compare_FirstRun_YieldsNothing()
    {
        Assert.Empty(Compare(null, Print(("spf", "v=spf1 -all"), ("mx", "10 mx.demo.test"))));
    }

    [Fact]
    public void Compare_SameValues_YieldsNothing()
    {
        Assert.Empty(Compare(Print(("spf", "v=spf1 -all")), Print(("spf", "v=spf1 -all"))));
    }

    [Fact]
    public void Compare_ChangedValue_IsOneEventWithBeforeAfterAndTheRun()
    {
        var events = Compare(Print(("dmarc", "v=DMARC1; p=reject")), Print(("dmarc", "v=DMARC1; p=none")));

        Assert.Equal(
            [new ChangeEvent("demo", "dmarc", "v=DMARC1; p=reject", "v=DMARC1; p=none", "DMARC changed: p=reject -> p=none", At, "demo/20261129T160500Z")],
            events);
    }

    [Fact]
    public void Compare_ItemGoneFromAReadableRun_Disappeared()
    {
        var events = Compare(Print(("spf", "v=spf1 -all"), ("dmarc", "v=DMARC1; p=none")), Print(("spf", "v=spf1 -all")));

        var gone = Assert.Single(events);
        Assert.Equal("dmarc", gone.Item);
        Assert.Null(gone.After);
        Assert.Equal("DMARC disappeared (was v=DMARC1; p=none)", gone.Summary);
    }

    [Fact]
    public void Compare_ItemTheNewRunCouldNotRead_YieldsNothing()
    {
        var before = Print(("spf", "v=spf1 -all"), ("cert:mx.demo.test:25", "sha256=aa; notAfter=2027-01-01T00:00:00Z"));

        Assert.Empty(Compare(before, Print([], "spf", "cert:mx.demo.test:25")));
        Assert.Empty(Compare(before, Print([("spf", "v=spf1 -all")], "cert:*")));
    }

    [Fact]
    public void Compare_ItemThePreviousRunCouldNotRead_DoesNotAppear()
    {
        Assert.Empty(Compare(Print([], "tls-rpt"), Print(("tls-rpt", "v=TLSRPTv1; rua=mailto:t@demo.test"))));
    }

    [Fact]
    public void Compare_Events_AreInItemOrder()
    {
        var before = Print(("cert:a:25", "sha256=aa; notAfter=2027-01-01T00:00:00Z"), ("spf", "v=spf1 -all"), ("mx", "10 a"), ("dkim:k1", "revoked"));
        var after = Print(("cert:a:25", "sha256=bb; notAfter=2027-01-01T00:00:00Z"), ("spf", "v=spf1 ~all"), ("mx", "10 b"), ("dkim:k1", "rsa 2048 sha256:cc"));

        Assert.Equal(["mx", "spf", "dkim:k1", "cert:a:25"], Compare(before, after).Select(e => e.Item));
    }

    [Fact]
    public void Carry_KeepsTheLastKnownValueAcrossAnUnreadRun_SoTheChangeIsStillSeen()
    {
        var first = Print(("spf", "v=spf1 include:mail.vendor.example -all"), ("dmarc", "v=DMARC1; p=none"));
        var failed = Print([("dmarc", "v=DMARC1; p=none")], "spf");
        var third = Print(("spf", "v=spf1 -all"), ("dmarc", "v=DMARC1; p=none"));

        Assert.Empty(Compare(first, failed));
        var baseline = ChangeDetector.Carry(first, failed);
        var events = Compare(baseline, third);

        Assert.Equal("v=spf1 include:mail.vendor.example -all", baseline.Items["spf"]);
        Assert.Empty(baseline.Unread);
        Assert.Equal("SPF changed: include:mail.vendor.example removed", Assert.Single(events).Summary);
    }

    [Fact]
    public void Carry_KnownAbsentBeforeAndUnreadNow_StaysKnownAbsent()
    {
        var before = Print(("spf", "v=spf1 -all"));
        var after = Print([("spf", "v=spf1 -all")], "dmarc", "cert:*");

        var baseline = ChangeDetector.Carry(before, after);

        Assert.True(baseline.Knows("dmarc"));
        Assert.True(baseline.Knows("cert:mx.demo.test:25"));
        Assert.Empty(baseline.Unread);
    }

    [Fact]
    public void Carry_UnknownInBoth_StaysUnread()
    {
        var before = Print([], "cert:*", "tlsa:mx.demo.test");
        var after = Print([("cert:mx.demo.test:25", "sha256=aa; notAfter=2027-01-01T00:00:00Z")], "cert:*", "dmarc");

        var baseline = ChangeDetector.Carry(before, after);

        Assert.Equal(["cert:*"], baseline.Unread.Order(StringComparer.Ordinal));
        Assert.True(baseline.Knows("cert:mx.demo.test:25"));
        Assert.False(baseline.Knows("cert:other:25"));
        Assert.True(baseline.Knows("tlsa:mx.demo.test"));
        Assert.True(baseline.Knows("dmarc"));
    }

    [Fact]
    public void Carry_ExactUnreadUnderAFamilyUnreadBefore_StaysUnread()
    {
        var baseline = ChangeDetector.Carry(Print([], "cert:*"), Print([], "cert:mx.demo.test:25"));

        Assert.False(baseline.Knows("cert:mx.demo.test:25"));
        Assert.True(baseline.Knows("cert:other:25"));
    }

    [Fact]
    public void Knows_FamilyWildcard_CoversEveryMemberButNotItsValues()
    {
        var print = Print([("cert:a:25", "sha256=aa; notAfter=2027-01-01T00:00:00Z")], "cert:*");

        Assert.True(print.Knows("cert:a:25"));
        Assert.False(print.Knows("cert:b:25"));
        Assert.True(print.Knows("spf"));
        Assert.True(print.Knows("tlsa:a"));
    }
}
