using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Baton.Server.Auth;

/// <summary>
/// Cookie sessions of the web UI. Each session has its own CSRF token that every state-changing request
/// must echo in the X-CSRF-Token header. Sessions are kept in memory and, when a folder is given (the data
/// folder's server/sessions/, root-only), one file each, so a server restart does not log every tab out.
/// A file is named by the SHA-256 of the session id, never the id itself: reading the folder gives no
/// cookie. Logging out deletes the file (the session is revoked for good); an expired one is deleted when
/// met. One-time login codes (the URL printed at first start) live in memory only.
/// </summary>
public sealed class SessionStore
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);
    private readonly ConcurrentDictionary<string, Session> _sessions = new();
    private readonly ConcurrentDictionary<string, (string TokenId, DateTimeOffset Expires)> _loginCodes = new();
    private readonly string? _folder;
    private readonly TimeProvider _time;

    public SessionStore(string? folder = null, TimeProvider? time = null)
    {
        _folder = folder;
        _time = time ?? TimeProvider.System;
        if (_folder is null)
            return;
        if (OperatingSystem.IsWindows())
            throw new PlatformNotSupportedException("Baton keeps sessions with Unix file modes");
        Directory.CreateDirectory(_folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public Session Create(string tokenId)
    {
        var session = new Session(RandomId(), RandomId(), tokenId, _time.GetUtcNow() + Lifetime);
        if (_folder is not null)
            Save(session);
        _sessions[session.Id] = session;
        return session;
    }

    public Session? Find(string id)
    {
        var session = _sessions.TryGetValue(id, out var s) ? s : Load(id);
        if (session is null)
            return null;
        if (session.Expires > _time.GetUtcNow())
            return session;
        Remove(id);
        return null;
    }

    public void Remove(string id)
    {
        _sessions.TryRemove(id, out _);
        if (FileOf(id) is { } file)
            File.Delete(file);
    }

    public string CreateLoginCode(string tokenId, TimeSpan lifetime)
    {
        var code = RandomId();
        _loginCodes[code] = (tokenId, _time.GetUtcNow() + lifetime);
        return code;
    }

    /// <summary>A login code works once.</summary>
    public string? RedeemLoginCode(string code) =>
        _loginCodes.TryRemove(code, out var entry) && entry.Expires > _time.GetUtcNow() ? entry.TokenId : null;

    private void Save(Session session)
    {
        if (OperatingSystem.IsWindows())
            return;
        var file = FileOf(session.Id)!;
        var temp = file + ".tmp";
        var json = JsonSerializer.SerializeToUtf8Bytes(
            new StoredSession(session.Csrf, session.TokenId, session.Expires),
            SessionJson.Default.StoredSession
        );
        using (
            var stream = new FileStream(
                temp,
                new FileStreamOptions
                {
                    Mode = FileMode.Create,
                    Access = FileAccess.Write,
                    UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
                }
            )
        )
        {
            stream.Write(json);
        }
        File.Move(temp, file, overwrite: true);
    }

    private Session? Load(string id)
    {
        if (FileOf(id) is not { } file || !File.Exists(file))
            return null;
        try
        {
            var stored = JsonSerializer.Deserialize(File.ReadAllBytes(file), SessionJson.Default.StoredSession);
            if (stored is null)
                return null;
            var session = new Session(id, stored.Csrf, stored.TokenId, stored.Expires);
            _sessions[id] = session;
            return session;
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            return null; // a damaged or vanishing file is no session
        }
    }

    private string? FileOf(string id) =>
        _folder is null || id.Length is 0 or > 200
            ? null
            : Path.Combine(_folder, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id))) + ".json");

    private static string RandomId() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');
}

/// <summary>A session as its file keeps it (the id is the file's name, hashed).</summary>
internal sealed record StoredSession(string Csrf, string TokenId, DateTimeOffset Expires);

[System.Text.Json.Serialization.JsonSerializable(typeof(StoredSession))]
internal sealed partial class SessionJson : System.Text.Json.Serialization.JsonSerializerContext;
