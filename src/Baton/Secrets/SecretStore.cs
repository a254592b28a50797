using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Baton.Secrets;

/// <summary>
/// A workspace's secrets (SPEC §6): `.baton/secrets.json` holds each value AES-GCM encrypted under
/// a master key that lives outside every workspace (a 0600 file), so a copied or committed
/// workspace leaks nothing. The associated data is the workspace's name and the secret's name
/// (version 2 of the file): a ciphertext moved to another name, or a secrets.json copied (or
/// linked) into another workspace served with the same master key, does not decrypt. The folder's
/// name is the workspace's name (a served workspace's is fixed; a local folder renamed must set its
/// secrets again). A version 1 file (name only) is re-encrypted as version 2 on first use, and by
/// the server for every workspace at start. The file is reached below the workspace without
/// following links (WorkspaceDirectory): an agent that planted `.baton` as a link finds nothing.
/// </summary>
public sealed partial class SecretStore
{
    private const int NonceSize = 12;
    private const int TagSize = 16;

    public SecretStore(string workspaceRoot, string? masterKeyPath = null)
    {
        Root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(workspaceRoot));
        Workspace = Path.GetFileName(Root);
        File = Path.Combine(Root, RelativeFile);
        MasterKeyPath = masterKeyPath ?? DefaultMasterKeyPath();
    }

    /// <summary>Where a workspace keeps its secrets, relative to its root.</summary>
    public const string RelativeFile = ".baton/secrets.json";
    private const int CurrentVersion = 2;

    public string Root { get; }

    /// <summary>The name the values are bound to: the workspace folder's name.</summary>
    public string Workspace { get; }

    public string File { get; }
    public string MasterKeyPath { get; }

    /// <summary>$BATON_MASTER_KEY, else $XDG_CONFIG_HOME/baton/master.key, else ~/.config/baton/master.key.</summary>
    public static string DefaultMasterKeyPath()
    {
        if (Environment.GetEnvironmentVariable("BATON_MASTER_KEY") is { Length: > 0 } explicitPath)
            return explicitPath;
        var config = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
        return Path.Combine(config, "baton", "master.key");
    }

    // The chain rule for `secrets:` (SPEC §2), so every stored secret can be declared by an agent.
    [GeneratedRegex("^[A-Z_][A-Z0-9_]{0,127}$")]
    private static partial Regex NamePattern();

    public static bool IsValidName(string name) => NamePattern().IsMatch(name);

    public IReadOnlyList<string> Names() => [.. ReadEntries().Entries.Select(e => e.Key).Order(StringComparer.Ordinal)];

    public bool Contains(string name) => ReadEntries().Entries.ContainsKey(name);

    /// <summary>Re-encrypts a version 1 store (bound to the secret's name only) for this workspace; false when there was nothing to do.</summary>
    /// <exception cref="SecretStoreException">The master key is missing or is not the one the values were stored with.</exception>
    public bool Migrate()
    {
        if (ReadEntries() is not { Version: < CurrentVersion, Entries.Count: > 0 })
            return false;
        var key = MasterKey.Load(MasterKeyPath);
        using var exclusive = LockForWriting();
        var (version, bound, entries) = ReadEntries();
        if (version >= CurrentVersion)
            return false; // another process did it meanwhile
        var migrated = entries.ToDictionary(
            e => e.Key,
            e => Encrypt(key, e.Key, Decrypt(key, e.Key, e.Value, version, bound)),
            StringComparer.Ordinal
        );
        Write(migrated);
        return true;
    }

    /// <exception cref="SecretStoreException">Bad name, or the store cannot be written.</exception>
    public void Set(string name, string value)
    {
        if (!IsValidName(name))
            throw new SecretStoreException(
                $"'{name}' is not a secret name: use upper-case letters, digits and _, not starting with a digit (e.g. OPENAI_API_KEY)"
            );
        var key = MasterKey.LoadOrCreate(MasterKeyPath);
        Migrate();
        using var exclusive = LockForWriting();
        var (_, _, entries) = ReadEntries();
        entries[name] = Encrypt(key, name, value);
        Write(entries);
    }

    /// <summary>The value, or null when there is no such secret.</summary>
    /// <exception cref="SecretStoreException">The master key is missing or is not the one the value was encrypted with.</exception>
    public string? Get(string name)
    {
        var (version, bound, entries) = ReadEntries();
        if (!entries.TryGetValue(name, out var sealedValue))
            return null;
        var key = MasterKey.Load(MasterKeyPath);
        var value = Decrypt(key, name, sealedValue, version, bound);
        if (version < CurrentVersion)
            Migrate();
        return value;
    }

    public bool Remove(string name)
    {
        Migrate();
        using var exclusive = LockForWriting();
        var (_, _, entries) = ReadEntries();
        if (!entries.Remove(name))
            return false;
        Write(entries);
        return true;
    }

    /// <summary>
    /// A key of this workspace for one purpose (the alerts webhook's signing key), derived from the master key:
    /// HMAC-SHA256(master key, "baton-derived\0WORKSPACE\0PURPOSE"). Nothing is stored in the workspace, so there
    /// is no file for an agent of the workspace to read or for a planted link to redirect; it changes only with
    /// the master key or the workspace's name.
    /// </summary>
    public byte[] DerivedKey(string purpose) =>
        System.Security.Cryptography.HMACSHA256.HashData(
            MasterKey.LoadOrCreate(MasterKeyPath),
            Encoding.UTF8.GetBytes($"baton-derived\0{Workspace}\0{purpose}")
        );

    /// <summary>Every value, for masking. Empty when there are no secrets (no master key needed then).</summary>
    public IReadOnlyList<string> AllValues()
    {
        var (version, bound, entries) = ReadEntries();
        if (entries.Count == 0)
            return [];
        var key = MasterKey.Load(MasterKeyPath);
        IReadOnlyList<string> values = [.. entries.Select(e => Decrypt(key, e.Key, e.Value, version, bound))];
        if (version < CurrentVersion)
            Migrate();
        return values;
    }

    /// <summary>What a value is bound to: version 1, its name; version 2, the workspace's name and its name.</summary>
    private byte[] AssociatedData(string name, int version) =>
        Encoding.UTF8.GetBytes(version < CurrentVersion ? name : $"baton-secret\0{Workspace}\0{name}");

    private string Encrypt(byte[] key, string name, string value)
    {
        var plain = Encoding.UTF8.GetBytes(value);
        var output = new byte[NonceSize + plain.Length + TagSize];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(
            nonce,
            plain,
            output.AsSpan(NonceSize, plain.Length),
            output.AsSpan(NonceSize + plain.Length),
            AssociatedData(name, CurrentVersion)
        );
        return Convert.ToBase64String(output);
    }

    /// <param name="bound">The workspace the file says it belongs to (version 2): named in the error when it is not this one.</param>
    private string Decrypt(byte[] key, string name, string sealedValue, int version, string? bound)
    {
        try
        {
            var bytes = Convert.FromBase64String(sealedValue);
            if (bytes.Length < NonceSize + TagSize)
                throw new FormatException("too short");
            var plain = new byte[bytes.Length - NonceSize - TagSize];
            using var aes = new AesGcm(key, TagSize);
            aes.Decrypt(
                bytes.AsSpan(0, NonceSize),
                bytes.AsSpan(NonceSize, plain.Length),
                bytes.AsSpan(NonceSize + plain.Length),
                plain,
                AssociatedData(name, version)
            );
            return Encoding.UTF8.GetString(plain);
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            if (bound is not null && bound != Workspace)
                throw new SecretStoreException(
                    $"cannot decrypt secret '{name}' in {File}: this store belongs to workspace '{bound}', not '{Workspace}' (secrets are bound to their workspace: a store copied from another workspace, or a folder renamed, does not decrypt); set it again here with `baton secret set {name}`"
                );
            throw new SecretStoreException(
                $"cannot decrypt secret '{name}' in {File}: the master key {MasterKeyPath} is not the one it was stored with (or the file was altered); set it again with `baton secret set {name}`"
            );
        }
    }

    private (int Version, string? Workspace, Dictionary<string, string> Entries) ReadEntries()
    {
        string? text;
        try
        {
            text = Workspaces.WorkspaceDirectory.ReadText(Root, RelativeFile, 16 << 20);
        }
        catch (Exception e) when (e is IOException or Runs.UnsafePathException)
        {
            throw new SecretStoreException($"cannot read {File}: {e.Message}");
        }
        if (text is null)
            return (CurrentVersion, null, new(StringComparer.Ordinal));
        try
        {
            var root = JsonNode.Parse(text);
            var version = root?["version"]?.GetValue<int>() ?? 1;
            var secrets = root?["secrets"]?.AsObject();
            var entries = secrets?.ToDictionary(
                p => p.Key,
                p => p.Value?.GetValue<string>() ?? "",
                StringComparer.Ordinal
            )
                ?? new(StringComparer.Ordinal);
            return (version, root?["workspace"]?.GetValue<string>(), entries);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new SecretStoreException(
                $"{File} is damaged ({e.Message}); restore it from a backup or delete it and set the secrets again"
            );
        }
    }

    /// <summary>
    /// Read-modify-write under an flock of secrets.lock, so the server and a `baton secret set` (or two
    /// of them) never lose each other's change; the kernel drops the lock if the holder dies.
    /// </summary>
    private Microsoft.Win32.SafeHandles.SafeFileHandle LockForWriting()
    {
        try
        {
            using var folder = Workspaces.WorkspaceDirectory.OpenFolder(Root, ".baton", create: true)!;
            return new Microsoft.Win32.SafeHandles.SafeFileHandle(
                Libc.OpenLocked(folder.Child("secrets.lock"), 0b110_000_000, wait: true),
                ownsHandle: true
            );
        }
        catch (Exception e) when (e is IOException or Runs.UnsafePathException)
        {
            throw new SecretStoreException(e.Message);
        }
    }

    private void Write(Dictionary<string, string> entries)
    {
        if (OperatingSystem.IsWindows())
            throw new PlatformNotSupportedException("Baton keeps secrets with Unix file modes");
        var secrets = new JsonObject();
        foreach (var (name, value) in entries.OrderBy(e => e.Key, StringComparer.Ordinal))
            secrets[name] = value;
        var json = new JsonObject
        {
            ["version"] = CurrentVersion,
            ["cipher"] = "aes-256-gcm",
            ["workspace"] = Workspace,
            ["secrets"] = secrets,
        };
        var bytes = Encoding.UTF8.GetBytes(
            json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n"
        );
        // "Stored" is said to a person: the file and its rename are durable before that.
        try
        {
            Workspaces.WorkspaceDirectory.WriteFile(Root, RelativeFile, bytes, mode: 0b110_000_000, createParent: true);
        }
        catch (Exception e) when (e is IOException or Runs.UnsafePathException)
        {
            throw new SecretStoreException($"cannot write {File}: {e.Message}");
        }
    }
}

public sealed class SecretStoreException(string message) : Exception(message);
