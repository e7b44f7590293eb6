using System.Security.Cryptography.X509Certificates;
using MailHealth.Smtp;
using MailHealth.Testing;

namespace MailHealth.Core.Tests.Smtp;

/// <summary>A chain is judged once per set of roots; what differs is judged again.</summary>
public sealed class TrustJudgmentsTests
{
    [Fact]
    public void Judge_TheSameChainAndRoots_BuildsOnce()
    {
        using var leaf = Leaf();
        var roots = Peers.TestRoots();
        var judgments = new TrustJudgments();
        var builds = 0;

        for (var i = 0; i < 3; i++)
        {
            var judged = judgments.Judge(leaf, [], roots, () =>
            {
                builds++;
                return (true, []);
            });
            Assert.True(judged.Trusted);
        }

        Assert.Equal(1, builds);
    }

    [Fact]
    public void Judge_OtherRootsOrIntermediates_AreJudgedAgain()
    {
        using var leaf = Leaf();
        using var other = X509CertificateLoader.LoadCertificateFromFile(Peers.CaFile);
        var judgments = new TrustJudgments();
        var builds = 0;
        (bool, IReadOnlyList<string>) Build()
        {
            builds++;
            return (builds == 1, []);
        }

        Assert.True(judgments.Judge(leaf, [], Peers.TestRoots(), Build).Trusted);
        Assert.False(judgments.Judge(leaf, [], [], Build).Trusted);
        judgments.Judge(leaf, [other], [], Build);

        Assert.Equal(3, builds);
    }

    [Fact]
    public void Judge_AFullTable_StartsAgainEmpty()
    {
        using var leaf = Leaf();
        using var root = X509CertificateLoader.LoadCertificateFromFile(Peers.CaFile);
        var judgments = new TrustJudgments(capacity: 3);
        var builds = 0;
        (bool, IReadOnlyList<string>) Build()
        {
            builds++;
            return (false, []);
        }

        // Three keys: no intermediate, one, two.
        for (var i = 0; i < 3; i++)
        {
            judgments.Judge(leaf, [.. Enumerable.Repeat(root, i)], [], Build);
        }

        Assert.Equal(3, judgments.Count);
        judgments.Judge(leaf, [root, root, root], [], Build);
        Assert.Equal(1, judgments.Count);

        // The first key was forgotten with the rest.
        judgments.Judge(leaf, [], [], Build);
        Assert.Equal(5, builds);
    }

    private static X509Certificate2 Leaf() =>
        X509CertificateLoader.LoadCertificateFromFile(Path.Combine(Peers.State, "certs", "smtp-good.pem"));
}
