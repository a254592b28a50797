using System.Text;
using Baton.Secrets;

namespace Baton.Tests.Secrets;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class SecretStoreTests
{
    [Fact]
    public void SetThenGet_RoundTrips_AndTheFileHoldsOnlyCiphertext()
    {
        using var ws = new TestWorkspace();
        var store = new SecretStore(ws.Root, Path.Combine(ws.Root, "keys", "master.key"));

        store.Set("OPENAI_KEY", "sk-plain-value-123");
        store.Set("OTHER", "second");

        Assert.Equal("sk-plain-value-123", store.Get("OPENAI_KEY"));
        Assert.Null(store.Get("MISSING"));
        Assert.Equal(["OPENAI_KEY", "OTHER"], store.Names());
        Assert.DoesNotContain("sk-plain-value-123", File.ReadAllText(store.File), StringComparison.Ordinal);
        Assert.True(store.Remove("OTHER"));
        Assert.Equal(["OPENAI_KEY"], store.Names());
    }

    [Fact]
    public void MasterKeyAndStore_AreOwnerOnly()
    {
        using var ws = new TestWorkspace();
        var store = new SecretStore(ws.Root, Path.Combine(ws.Root, "keys", "master.key"));
        store.Set("A_SECRET", "value");

        const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(store.MasterKeyPath));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(store.File));
        Assert.Equal(32, File.ReadAllBytes(store.MasterKeyPath).Length);
    }

    [Fact]
    public void WrongMasterKey_FailsWithAClearMessage()
    {
        using var ws = new TestWorkspace();
        new SecretStore(ws.Root, Path.Combine(ws.Root, "k1")).Set("TOKEN", "value");
        var other = new SecretStore(ws.Root, Path.Combine(ws.Root, "k2"));
        other.Set("UNRELATED", "x"); // creates a different key

        var error = Assert.Throws<SecretStoreException>(() => other.Get("TOKEN"));
        Assert.Contains("not the one it was stored with", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingOrLooseMasterKey_IsRefused()
    {
        using var ws = new TestWorkspace();
        var keyPath = Path.Combine(ws.Root, "k");
        var store = new SecretStore(ws.Root, keyPath);
        store.Set("TOKEN", "value");

        File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        Assert.Contains(
            "chmod 600",
            Assert.Throws<SecretStoreException>(() => store.Get("TOKEN")).Message,
            StringComparison.Ordinal
        );
        File.Delete(keyPath);
        Assert.Contains(
            "no master key",
            Assert.Throws<SecretStoreException>(() => store.Get("TOKEN")).Message,
            StringComparison.Ordinal
        );
    }

    [Fact]
    public void BadName_IsRefused() =>
        Assert.Throws<SecretStoreException>(() =>
            new SecretStore(Path.GetTempPath(), "/nonexistent/k").Set("lower-case", "v")
        );

    [Fact]
    public void Masker_HidesValues_TheirEncodings_AndEachLine()
    {
        var masker = new SecretMasker(["hunter22", "line-one\nline-two"]);
        var base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes("hunter22"));

        Assert.Equal("pw=*** b64=*** a=*** b=***", masker.Apply($"pw=hunter22 b64={base64} a=line-one b=line-two"));
        Assert.Equal("x", new SecretMasker(["x"]).Apply("x")); // too short to mask sensibly
    }

    [Fact]
    public void ConfigValue_ResolvesEnvAndSecrets_AndExplainsWhatIsMissing()
    {
        using var ws = new TestWorkspace();
        var store = new SecretStore(ws.Root, Path.Combine(ws.Root, "k"));
        store.Set("KEY", "from-store");

        Assert.Equal(
            "a-from-env-from-store",
            ConfigValue.Resolve("a-${env:E}-${secret:KEY}", store, n => n == "E" ? "from-env" : null)
        );
        Assert.Contains(
            "baton secret set NOPE",
            Assert.Throws<SecretStoreException>(() => ConfigValue.Resolve("${secret:NOPE}", store, _ => null)).Message,
            StringComparison.Ordinal
        );
        Assert.Contains(
            "E2 is not set",
            Assert.Throws<SecretStoreException>(() => ConfigValue.Resolve("${env:E2}", store, _ => null)).Message,
            StringComparison.Ordinal
        );
        Assert.NotNull(ConfigValue.Check("${envv:X}"));
    }

    [Fact]
    public void VersionOneStore_IsReadAndRebound_ToItsWorkspace()
    {
        using var ws = new TestWorkspace();
        var keyPath = Path.Combine(ws.Root, "keys", "master.key");
        var store = new SecretStore(ws.Root, keyPath);
        store.Set("WARM", "up"); // makes the key
        var key = File.ReadAllBytes(keyPath);
        // A store as Baton wrote it before secrets were bound to their workspace: the name alone is the associated data.
        var plain = Encoding.UTF8.GetBytes("v1-value");
        var sealedValue = new byte[12 + plain.Length + 16];
        System.Security.Cryptography.RandomNumberGenerator.Fill(sealedValue.AsSpan(0, 12));
        using (var aes = new System.Security.Cryptography.AesGcm(key, 16))
            aes.Encrypt(
                sealedValue.AsSpan(0, 12),
                plain,
                sealedValue.AsSpan(12, plain.Length),
                sealedValue.AsSpan(12 + plain.Length),
                Encoding.UTF8.GetBytes("OLD")
            );
        File.WriteAllText(
            store.File,
            "{\"version\": 1, \"cipher\": \"aes-256-gcm\", \"secrets\": {\"OLD\": \""
                + Convert.ToBase64String(sealedValue)
                + "\"}}"
        );

        Assert.Equal("v1-value", store.Get("OLD"));

        var migrated = File.ReadAllText(store.File);
        Assert.Contains("\"version\": 2", migrated);
        Assert.Contains($"\"workspace\": \"{Path.GetFileName(ws.Root)}\"", migrated);
        Assert.Equal("v1-value", new SecretStore(ws.Root, keyPath).Get("OLD"));
        Assert.False(store.Migrate());
    }

    [Fact]
    public void StoreCopiedToAnotherWorkspace_DoesNotDecrypt_AndNamesWhoseItIs()
    {
        using var a = new TestWorkspace();
        using var b = new TestWorkspace();
        var keyPath = Path.Combine(a.Root, "keys", "master.key");
        new SecretStore(a.Root, keyPath).Set("TOKEN", "a-only");
        Directory.CreateDirectory(Path.Combine(b.Root, ".baton"));
        File.Copy(Path.Combine(a.Root, ".baton", "secrets.json"), Path.Combine(b.Root, ".baton", "secrets.json"));

        var error = Assert.Throws<SecretStoreException>(() => new SecretStore(b.Root, keyPath).Get("TOKEN"));
        Assert.Contains(
            $"belongs to workspace '{Path.GetFileName(a.Root)}', not '{Path.GetFileName(b.Root)}'",
            error.Message
        );
    }
}
