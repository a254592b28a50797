using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Baton.Secrets;

/// <summary>
/// A workspace's secrets (SPEC §6): `.baton/secrets.json` holds each value AES-GCM encrypted under
/// a master key that lives outside every workspace (a 0600 file), so a copied or committed
/// workspace leaks nothing. The secret's name is the associated data: a ciphertext moved to another
/// name does not decrypt.
/// </summary>
public sealed partial class SecretStore
{
    private const int NonceSize = 12;
    private const int TagSize = 16;

    public SecretStore(string workspaceRoot, string? masterKeyPath = null)
    {
        File = Path.Combine(Path.GetFullPath(workspaceRoot), ".baton", "secrets.json");
        MasterKeyPath = masterKeyPath ?? DefaultMasterKeyPath();
    }

    public string File { get; }
    public string MasterKeyPath { get; }

    /// <summary>$BATON_MASTER_KEY, else $XDG_CONFIG_HOME/baton/master.key, else ~/.config/baton/master.key.</summary>
    public static string DefaultMasterKeyPath()
    {
        if (Environment.GetEnvironmentVariable("BATON_MASTER_KEY") is { Length: > 0 } explicitPath) return explicitPath;
        var config = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME") is { Length: > 0 } xdg
            ? xdg : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
        return Path.Combine(config, "baton", "master.key");
    }

    // The chain rule for `secrets:` (SPEC §2), so every stored secret can be declared by an agent.
    [GeneratedRegex("^[A-Z_][A-Z0-9_]{0,127}$")]
    private static partial Regex NamePattern();

    public static bool IsValidName(string name) => NamePattern().IsMatch(name);

    public IReadOnlyList<string> Names() => [.. ReadEntries().Select(e => e.Key).Order(StringComparer.Ordinal)];

    public bool Contains(string name) => ReadEntries().ContainsKey(name);

    /// <exception cref="SecretStoreException">Bad name, or the store cannot be written.</exception>
    public void Set(string name, string value)
    {
        if (!IsValidName(name)) throw new SecretStoreException($"'{name}' is not a secret name: use upper-case letters, digits and _, not starting with a digit (e.g. OPENAI_API_KEY)");
        var key = MasterKey.LoadOrCreate(MasterKeyPath);
        using var exclusive = LockForWriting();
        var entries = ReadEntries();
        entries[name] = Encrypt(key, name, value);
        Write(entries);
    }

    /// <summary>The value, or null when there is no such secret.</summary>
    /// <exception cref="SecretStoreException">The master key is missing or is not the one the value was encrypted with.</exception>
    public string? Get(string name)
    {
        if (!ReadEntries().TryGetValue(name, out var sealedValue)) return null;
        var key = MasterKey.Load(MasterKeyPath);
        return Decrypt(key, name, sealedValue);
    }

    public bool Remove(string name)
    {
        using var exclusive = LockForWriting();
        var entries = ReadEntries();
        if (!entries.Remove(name)) return false;
        Write(entries);
        return true;
    }

    /// <summary>Every value, for masking. Empty when there are no secrets (no master key needed then).</summary>
    public IReadOnlyList<string> AllValues()
    {
        var entries = ReadEntries();
        if (entries.Count == 0) return [];
        var key = MasterKey.Load(MasterKeyPath);
        return [.. entries.Select(e => Decrypt(key, e.Key, e.Value))];
    }

    private static string Encrypt(byte[] key, string name, string value)
    {
        var plain = Encoding.UTF8.GetBytes(value);
        var output = new byte[NonceSize + plain.Length + TagSize];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plain, output.AsSpan(NonceSize, plain.Length), output.AsSpan(NonceSize + plain.Length), Encoding.UTF8.GetBytes(name));
        return Convert.ToBase64String(output);
    }

    private string Decrypt(byte[] key, string name, string sealedValue)
    {
        try
        {
            var bytes = Convert.FromBase64String(sealedValue);
            if (bytes.Length < NonceSize + TagSize) throw new FormatException("too short");
            var plain = new byte[bytes.Length - NonceSize - TagSize];
            using var aes = new AesGcm(key, TagSize);
            aes.Decrypt(bytes.AsSpan(0, NonceSize), bytes.AsSpan(NonceSize, plain.Length), bytes.AsSpan(NonceSize + plain.Length), plain, Encoding.UTF8.GetBytes(name));
            return Encoding.UTF8.GetString(plain);
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            throw new SecretStoreException($"cannot decrypt secret '{name}' in {File}: the master key {MasterKeyPath} is not the one it was stored with (or the file was altered); set it again with `baton secret set {name}`");
        }
    }

    private Dictionary<string, string> ReadEntries()
    {
        if (!System.IO.File.Exists(File)) return new(StringComparer.Ordinal);
        try
        {
            var root = JsonNode.Parse(System.IO.File.ReadAllText(File))?["secrets"]?.AsObject();
            return root?.ToDictionary(p => p.Key, p => p.Value?.GetValue<string>() ?? "", StringComparer.Ordinal) ?? new(StringComparer.Ordinal);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new SecretStoreException($"{File} is damaged ({e.Message}); restore it from a backup or delete it and set the secrets again");
        }
    }

    /// <summary>
    /// Read-modify-write under an flock of secrets.lock, so the server and a `baton secret set` (or two
    /// of them) never lose each other's change; the kernel drops the lock if the holder dies.
    /// </summary>
    private Microsoft.Win32.SafeHandles.SafeFileHandle LockForWriting()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(File)!);
        try { return new Microsoft.Win32.SafeHandles.SafeFileHandle(Libc.OpenLocked(Path.ChangeExtension(File, ".lock"), 0b110_000_000, wait: true), ownsHandle: true); }
        catch (IOException e) { throw new SecretStoreException(e.Message); }
    }

    private void Write(Dictionary<string, string> entries)
    {
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("Baton keeps secrets with Unix file modes");
        var dir = Path.GetDirectoryName(File)!;
        Directory.CreateDirectory(dir);
        var secrets = new JsonObject();
        foreach (var (name, value) in entries.OrderBy(e => e.Key, StringComparer.Ordinal)) secrets[name] = value;
        var json = new JsonObject { ["version"] = 1, ["cipher"] = "aes-256-gcm", ["secrets"] = secrets };
        var temp = File + ".tmp";
        using (var stream = new FileStream(temp, new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        }))
        {
            stream.Write(Encoding.UTF8.GetBytes(json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n"));
            stream.Flush(flushToDisk: true);
        }
        System.IO.File.Move(temp, File, overwrite: true);
        Libc.FsyncDirectory(dir); // "stored" is said to a person: the rename must survive a crash too
    }
}

public sealed class SecretStoreException(string message) : Exception(message);
