using System.Security.Cryptography;
using MailHealth.Dkim;

namespace MailHealth.Core.Tests.Dkim;

/// <summary>Key record parsing and key decoding (RFC 6376 section 3.6.1, RFC 8463), on keys made here.</summary>
public sealed class DkimKeyRecordTests
{
    private static readonly Lazy<RSA> Rsa2048 = new(() => RSA.Create(2048));

    private static string Spki => Convert.ToBase64String(Rsa2048.Value.ExportSubjectPublicKeyInfo());

    [Fact]
    public void Parse_RsaSubjectPublicKeyInfo_DecodesTypeAndSize()
    {
        var record = DkimKeyRecord.Parse($"v=DKIM1; k=rsa; p={Spki}");

        Assert.Empty(record.Problems);
        Assert.Equal(new DkimPublicKey(DkimKeyTypes.Rsa, 2048, "spki"), record.Key);
    }

    [Fact]
    public void KeySha256_IsTheHashOfTheDecodedKeyWhateverTheFolding()
    {
        var expected = Convert.ToHexStringLower(SHA256.HashData(Rsa2048.Value.ExportSubjectPublicKeyInfo()));
        var folded = string.Join("\r\n\t", Spki.Chunk(60).Select(c => new string(c)));

        var plain = DkimKeyRecord.Parse($"v=DKIM1; k=rsa; p={Spki}");
        var refolded = DkimKeyRecord.Parse($"v=DKIM1; t=y; p= {folded} ");

        Assert.Equal(expected, plain.KeySha256);
        Assert.Equal(expected, refolded.KeySha256);
        Assert.Equal(expected, plain.ToEvidence()["keySha256"]);
    }

    [Theory]
    [InlineData("v=DKIM1; p=")]
    [InlineData("v=DKIM1; k=rsa")]
    [InlineData("v=DKIM1; p=not*base64")]
    public void KeySha256_WithoutKeyData_IsNull(string text)
    {
        Assert.Null(DkimKeyRecord.Parse(text).KeySha256);
    }

    [Fact]
    public void Parse_BareRsaPublicKey_IsAccepted()
    {
        var pkcs1 = Convert.ToBase64String(Rsa2048.Value.ExportRSAPublicKey());

        var record = DkimKeyRecord.Parse($"p={pkcs1}");

        Assert.Empty(record.Problems);
        Assert.Equal(new DkimPublicKey(DkimKeyTypes.Rsa, 2048, "pkcs1"), record.Key);
    }

    [Fact]
    public void Parse_FoldedBase64_IgnoresTheWhitespace()
    {
        var folded = string.Join("\r\n\t", Spki.Chunk(60).Select(c => new string(c)));

        var record = DkimKeyRecord.Parse($"v=DKIM1;\r\n\tp= {folded} ");

        Assert.Empty(record.Problems);
        Assert.Equal(2048, record.Key?.Bits);
    }

    [Fact]
    public void Parse_Ed25519RawKey_Is256Bits()
    {
        var raw = Convert.ToBase64String(new byte[32]);

        var record = DkimKeyRecord.Parse($"v=DKIM1; k=ed25519; p={raw}");

        Assert.Empty(record.Problems);
        Assert.Equal(new DkimPublicKey(DkimKeyTypes.Ed25519, 256, "raw"), record.Key);
    }

    [Theory]
    [InlineData(31)]
    [InlineData(33)]
    public void Parse_Ed25519KeyOfWrongLength_IsAProblem(int length)
    {
        var record = DkimKeyRecord.Parse($"k=ed25519; p={Convert.ToBase64String(new byte[length])}");

        Assert.Null(record.Key);
        Assert.Contains(record.Problems, p => p.Contains($"{length}", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_UnknownTags_AreIgnored()
    {
        var record = DkimKeyRecord.Parse($"v=DKIM1; x=anything; zz9=more stuff; p={Spki}");

        Assert.Empty(record.Problems);
        Assert.NotNull(record.Key);
    }

    [Fact]
    public void Parse_Defaults_AreRsaAllServicesNoFlags()
    {
        var record = DkimKeyRecord.Parse($"p={Spki}");

        Assert.Equal(DkimKeyTypes.Rsa, record.KeyType);
        Assert.Equal(["*"], record.ServiceTypes);
        Assert.Empty(record.Flags);
        Assert.Empty(record.HashAlgorithms);
        Assert.False(record.IsSha1Only);
        Assert.False(record.IsNotForEmail);
    }

    [Fact]
    public void Parse_FlagsAndHashes_AreColonLists()
    {
        var record = DkimKeyRecord.Parse($"t = y : s ; h = sha1 : sha256 ; s = email ; p={Spki}");

        Assert.True(record.IsTesting);
        Assert.True(record.IsStrict);
        Assert.False(record.IsSha1Only);
        Assert.False(record.IsNotForEmail);
    }

    [Fact]
    public void Parse_EmptyP_IsRevokedNotAProblem()
    {
        var record = DkimKeyRecord.Parse("v=DKIM1; p= ");

        Assert.True(record.IsRevoked);
        Assert.Empty(record.Problems);
        Assert.Null(record.Key);
    }

    [Fact]
    public void Parse_VersionNotFirst_IsAProblem()
    {
        var record = DkimKeyRecord.Parse($"p={Spki}; v=DKIM1");

        Assert.Contains(record.Problems, p => p.Contains("first", StringComparison.Ordinal));
    }

    [Fact]
    public void LooksLikeKeyRecord_TellsKeysFromUnrelatedText()
    {
        Assert.True(DkimKeyRecord.Parse("v=DKIM1; p=").LooksLikeKeyRecord);
        Assert.True(DkimKeyRecord.Parse($"p={Spki}").LooksLikeKeyRecord);
        Assert.False(DkimKeyRecord.Parse("v=spf1 -all").LooksLikeKeyRecord);
        Assert.False(DkimKeyRecord.Parse("hello world").LooksLikeKeyRecord);
    }
}
