using MailHealth.Alerts;
using MailHealth.Changes;
using MailHealth.Checks;
using MailHealth.Monitor.Dashboard;
using MailHealth.Notifications;
using MailHealth.Targets;
using MailHealth.Testing;

namespace MailHealth.Monitor.Tests.Notifications;

public sealed class NotificationRouterTests
{
    private const string Channels = "MailHealth:Notifications:Channels";
    private static readonly DateTimeOffset At = TestClock.Start.AddMinutes(-5);
    private static readonly Target Example = new() { Id = "example-com", Domain = "example.com", DisplayDomain = "example.com" };

    private static NotificationServices Services(string? publicUrl = null) => new(new Dictionary<string, string?>
    {
        ["MailHealth:Monitor:PublicUrl"] = publicUrl,
        // Every target, alerts only (the default).
        [$"{Channels}:all:Type"] = "slack",
        [$"{Channels}:all:Url"] = "https://hooks.example/all",
        // Targets tagged prod, alerts and changes.
        [$"{Channels}:prod:Type"] = "webhook",
        [$"{Channels}:prod:Url"] = "https://hooks.example/prod",
        [$"{Channels}:prod:Secret"] = "0123456789abcdef0123",
        [$"{Channels}:prod:Tags:0"] = "PROD",
        [$"{Channels}:prod:Events:0"] = "alerts",
        [$"{Channels}:prod:Events:1"] = "changes",
        // Critical alerts only, of targets tagged customer-a.
        [$"{Channels}:pager:Type"] = "teams",
        [$"{Channels}:pager:Url"] = "https://teams.example/flow",
        [$"{Channels}:pager:Tags:0"] = "customer-a",
        [$"{Channels}:pager:MinimumSeverity"] = "critical",
        // Changes only.
        [$"{Channels}:drift:Type"] = "teams",
        [$"{Channels}:drift:Url"] = "https://teams.example/drift",
        [$"{Channels}:drift:Events:0"] = "changes",
    });

    private static AlertTransition Transition(AlertTransitionKind kind, Severity severity = Severity.Critical, string subject = "mx1.example.com:25") =>
        new(new AlertKey("example-com", "TLS_CERT_EXPIRED", subject).Id, new AlertKey("example-com", "TLS_CERT_EXPIRED", subject), kind, At,
            "example-com/20261129T155000Z", severity, "The certificate of mx1.example.com:25 expired 2 days ago");

    [Fact]
    public void Route_OpenedCritical_TitleAndFieldsAsDocumented()
    {
        using var services = Services();

        var notifications = services.Router.Route(Transition(AlertTransitionKind.Opened), Example, ["prod"]);

        Assert.Equal(["all", "prod"], notifications.Select(n => n.Channel));
        var first = notifications[0];
        Assert.Equal("[CRITICAL] example.com: TLS_CERT_EXPIRED on mx1.example.com:25 \u2014 opened", first.Title);
        Assert.Equal("The certificate of mx1.example.com:25 expired 2 days ago", first.Text);
        Assert.Equal(NotificationKind.AlertOpened, first.Kind);
        Assert.Equal("example-com", first.TargetId);
        Assert.Equal("example.com", first.Domain);
        Assert.Equal(["prod"], first.Tags);
        Assert.Equal(Severity.Critical, first.Severity);
        Assert.Equal("TLS_CERT_EXPIRED", first.Code);
        Assert.Equal("mx1.example.com:25", first.Subject);
        Assert.Equal(new AlertKey("example-com", "TLS_CERT_EXPIRED", "mx1.example.com:25").Id, first.AlertId);
        Assert.Equal("example-com/20261129T155000Z", first.RunId);
        Assert.Equal(At, first.At);
    }

    [Fact]
    public void Route_TagsAndSeverity_DecideTheChannels()
    {
        using var services = Services();

        Assert.Equal(["all"], services.Router.Route(Transition(AlertTransitionKind.Opened), Example, ["staging"]).Select(n => n.Channel));
        Assert.Equal(["all", "pager"], services.Router.Route(Transition(AlertTransitionKind.Opened), Example, ["customer-a"]).Select(n => n.Channel));
        Assert.Equal(["all"], services.Router.Route(Transition(AlertTransitionKind.Opened, Severity.Warning), Example, ["customer-a"]).Select(n => n.Channel));
        Assert.Equal(["all"], services.Router.Route(Transition(AlertTransitionKind.Opened), Example, []).Select(n => n.Channel));
    }

    [Fact]
    public void Route_ResolvedNotifies_AcknowledgedNever()
    {
        using var services = Services();

        var resolved = services.Router.Route(Transition(AlertTransitionKind.Resolved), Example, ["prod"]);
        var acknowledged = services.Router.Route(Transition(AlertTransitionKind.Acknowledged), Example, ["prod"]);

        Assert.Equal(["all", "prod"], resolved.Select(n => n.Channel));
        Assert.All(resolved, n => Assert.Equal(NotificationKind.AlertResolved, n.Kind));
        Assert.EndsWith("\u2014 resolved", resolved[0].Title, StringComparison.Ordinal);
        Assert.Empty(acknowledged);
    }

    [Fact]
    public void Route_ChangeEvent_OnlyChannelsSubscribedToChanges()
    {
        using var services = Services();
        var change = new ChangeEvent("example-com", "spf", "v=spf1 include:mail.vendor.example -all", "v=spf1 -all",
            "SPF changed: include:mail.vendor.example removed", At, "example-com/20261129T155000Z");

        var tagged = services.Router.Route(change, Example, ["prod"]);
        var untagged = services.Router.Route(change, Example, ["staging"]);

        Assert.Equal(["drift", "prod"], tagged.Select(n => n.Channel));
        Assert.Equal(["drift"], untagged.Select(n => n.Channel));
        Assert.Equal("[CHANGE] example.com: SPF changed: include:mail.vendor.example removed", tagged[0].Title);
        Assert.Contains("Before: v=spf1 include:mail.vendor.example -all", tagged[0].Text, StringComparison.Ordinal);
        Assert.Contains("After: v=spf1 -all", tagged[0].Text, StringComparison.Ordinal);
        Assert.Equal(NotificationKind.Change, tagged[0].Kind);
        Assert.Null(tagged[0].Severity);
        Assert.Equal("spf", tagged[0].Subject);
    }

    [Fact]
    public void Route_SameEventTwice_SameIds_DifferentPerChannelAndEvent()
    {
        using var services = Services();

        var first = services.Router.Route(Transition(AlertTransitionKind.Opened), Example, ["prod"]);
        var again = services.Router.Route(Transition(AlertTransitionKind.Opened) with { At = At.AddSeconds(3) }, Example, ["prod"]);
        var resolved = services.Router.Route(Transition(AlertTransitionKind.Resolved), Example, ["prod"]);

        Assert.Equal(first.Select(n => n.Id), again.Select(n => n.Id));
        Assert.NotEqual(first[0].Id, first[1].Id);
        Assert.Empty(first.Select(n => n.Id).Intersect(resolved.Select(n => n.Id)));
        Assert.All(first, n => Assert.Matches("^[0-9a-f]{32}$", n.Id));
    }

    [Fact]
    public void Route_Opened_CarriesTheFixTheDashboardShows_AndTheTargetsPage()
    {
        using var services = Services("https://monitor.example.com/mailhealth");

        var opened = services.Router.Route(Transition(AlertTransitionKind.Opened), Example, ["prod"]);
        var resolved = services.Router.Route(Transition(AlertTransitionKind.Resolved), Example, ["prod"]);

        // The text of docs/findings.md, as the dashboard's findings.json serves it.
        Assert.Equal("Renew the certificate and reload the server.", DashboardFiles.Default.Fixes["TLS_CERT_EXPIRED"]);
        Assert.All(opened, n => Assert.Equal("Renew the certificate and reload the server.", n.Fix));
        Assert.All(opened.Concat(resolved), n => Assert.Equal("https://monitor.example.com/mailhealth/#/target/example-com", n.Link));
        // A resolved alert needs nothing fixed.
        Assert.All(resolved, n => Assert.Null(n.Fix));
    }

    [Fact]
    public void Route_WithoutPublicUrl_NoLink_ChangesLinkToo()
    {
        var change = new ChangeEvent("example-com", "spf", "v=spf1 -all", "v=spf1 mx -all", "SPF changed", At, "example-com/20261129T155000Z");
        using var without = Services();
        using var linked = Services("http://127.0.0.1:8080/");

        Assert.All(without.Router.Route(Transition(AlertTransitionKind.Opened), Example, ["prod"]), n => Assert.Null(n.Link));
        Assert.All(without.Router.Route(change, Example, ["prod"]), n => Assert.Null(n.Link));
        var changed = linked.Router.Route(change, Example, ["prod"]);
        Assert.NotEmpty(changed);
        Assert.All(changed, n => Assert.Equal("http://127.0.0.1:8080/#/target/example-com", n.Link));
        Assert.All(changed, n => Assert.Null(n.Fix));
    }

    [Fact]
    public void Route_NoSubject_TitleWithoutOn()
    {
        using var services = Services();

        var notifications = services.Router.Route(Transition(AlertTransitionKind.Opened, Severity.Warning, subject: ""), Example, []);

        Assert.Equal("[WARNING] example.com: TLS_CERT_EXPIRED \u2014 opened", notifications.Single().Title);
        Assert.Null(notifications.Single().Subject);
    }
}
