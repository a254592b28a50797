using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Baton.Server.Auth;

/// <summary>
/// API tokens, stored hashed (SHA-256; tokens are 256 random bits, so a slow hash adds nothing) in
/// server/tokens.json (0600). The token itself is shown once, when it is created.
/// </summary>
public sealed class TokenStore(string path)
{
    private readonly Lock _gate = new();
    private List<TokenRecord>? _cache;
    private DateTime _cacheStamp;
    private static readonly DateTime Missing = DateTime.FromFileTimeUtc(0);

    public const string Prefix = "bt_";

    public sealed record TokenRecord(
        [property: JsonPropertyName("id")] string Id,
        [property: JsonPropertyName("hash")] string Hash,
        [property: JsonPropertyName("workspace")] string Workspace,
        [property: JsonPropertyName("role")] string Role,
        [property: JsonPropertyName("name")] string Name,
        [property: JsonPropertyName("created")] DateTimeOffset Created
    );

    /// <returns>The token, which is never stored or shown again.</returns>
    public (string Token, TokenRecord Record) Create(string workspace, Role role, string name)
    {
        var secret = Convert
            .ToBase64String(RandomNumberGenerator.GetBytes(32))
            .TrimEnd('=')
            .Replace('+', '-')
            .Replace('/', '_');
        var token = Prefix + secret;
        var record = new TokenRecord(
            Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)),
            Hash(token),
            workspace,
            Roles.Name(role),
            name,
            DateTimeOffset.UtcNow
        );
        lock (_gate)
        {
            var all = Load();
            all.Add(record);
            Save(all);
        }
        return (token, record);
    }

    public TokenRecord? Find(string token)
    {
        if (!token.StartsWith(Prefix, StringComparison.Ordinal) || token.Length > 100)
            return null;
        var hash = Encoding.ASCII.GetBytes(Hash(token));
        lock (_gate)
            return Load()
                .FirstOrDefault(r => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(r.Hash), hash));
    }

    /// <summary>Removes a token for good; false when there is no such id. Its sessions die with it (AuthMiddleware looks the token up).</summary>
    public bool Revoke(string id)
    {
        lock (_gate)
        {
            var all = Load();
            var kept = all.Where(r => r.Id != id).ToList();
            if (kept.Count == all.Count)
                return false;
            Save(kept);
            return true;
        }
    }

    public IReadOnlyList<TokenRecord> All()
    {
        lock (_gate)
            return [.. Load()];
    }

    private static string Hash(string token) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private List<TokenRecord> Load()
    {
        // `baton token create` may write the file while the server runs: reload when it changed. One stat per
        // request (GetLastWriteTimeUtc answers 1601-01-01 for a missing file), where File.Exists made it two.
        var stamp = File.GetLastWriteTimeUtc(path);
        if (_cache is not null && stamp == _cacheStamp)
            return _cache;
        _cache =
            stamp != Missing
                ? JsonSerializer.Deserialize(File.ReadAllText(path), ServerJson.Default.ListTokenRecord) ?? []
                : [];
        _cacheStamp = stamp;
        return _cache;
    }

    private void Save(List<TokenRecord> records)
    {
        var temp = path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(records, ServerJson.Default.ListTokenRecord));
        if (OperatingSystem.IsLinux())
            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(temp, path, overwrite: true);
        _cache = records;
        _cacheStamp = File.GetLastWriteTimeUtc(path);
    }
}
