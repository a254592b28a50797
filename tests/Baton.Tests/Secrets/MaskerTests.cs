using System.Text;
using Baton.Secrets;

namespace Baton.Tests.Secrets;

public class MaskerTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Base64_AtEveryAlignment_IsMasked(int prefixBytes)
    {
        const string secret = "s3cr3t-value-for-base64";
        var masker = new SecretMasker([secret]);
        var blob = Convert.ToBase64String([
            .. new byte[prefixBytes].Select(_ => (byte)'p'),
            .. Encoding.UTF8.GetBytes(secret),
            .. "tail"u8,
        ]);
        var masked = masker.Apply(blob);
        Assert.Contains(SecretMasker.Mask, masked);
        Assert.True(masked.Length < blob.Length, masked);
    }

    [Fact]
    public void MultiLineSecret_EachLineIsMasked()
    {
        var masker = new SecretMasker(["-----BEGIN KEY-----\nAAAABBBBCCCC\n-----END KEY-----"]);
        Assert.Equal("line: ***", masker.Apply("line: AAAABBBBCCCC"));
    }

    [Fact]
    public void JsonEscaped_AndHex_AreMasked()
    {
        var masker = new SecretMasker(["pa\"ss/wo\\rd"]);
        Assert.Equal("{\"p\": \"***\"}", masker.Apply("{\"p\": \"pa\\\"ss/wo\\\\rd\"}"));
        Assert.Equal(
            "hex ***",
            masker.Apply("hex " + Convert.ToHexStringLower(Encoding.UTF8.GetBytes("pa\"ss/wo\\rd")))
        );
    }

    [Fact]
    public void MaskFile_KeepsBinaryBytes_AndCatchesASecretAcrossChunkBoundaries()
    {
        var path = Path.GetTempFileName();
        try
        {
            var secret = "boundary-secret-123";
            var data = new byte[(1 << 20) - 5]; // the secret straddles the first 1 MiB chunk
            Random.Shared.NextBytes(data);
            for (var i = 0; i < data.Length; i++)
                if (data[i] == (byte)'b')
                    data[i] = 0;
            File.WriteAllBytes(path, [.. data, .. Encoding.UTF8.GetBytes(secret), 0xff, 0x00]);

            Assert.True(new SecretMasker([secret]).MaskFile(path));

            var after = File.ReadAllBytes(path);
            Assert.Equal(data, after[..data.Length]);
            Assert.Equal([.. "***"u8, 0xff, 0x00], after[data.Length..]);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
