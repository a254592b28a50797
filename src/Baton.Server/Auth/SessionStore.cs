using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Baton.Server.Auth;

/// <summary>
/// Cookie sessions of the web UI, in memory: a server restart logs everyone out, which is the safe
/// direction. Each session has its own CSRF token that every state-changing request must echo in
/// the X-CSRF-Token header. One-time login codes (the URL printed at first start) live here too.
/// </summary>
public sealed class SessionStore
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);
    private readonly ConcurrentDictionary<string, Session> _sessions = new();
    private readonly ConcurrentDictionary<string, (string TokenId, DateTimeOffset Expires)> _loginCodes = new();

    public Session Create(string tokenId)
    {
        var session = new Session(RandomId(), RandomId(), tokenId, DateTimeOffset.UtcNow + Lifetime);
        _sessions[session.Id] = session;
        return session;
    }

    public Session? Find(string id) =>
        _sessions.TryGetValue(id, out var s) && s.Expires > DateTimeOffset.UtcNow ? s : null;

    public void Remove(string id) => _sessions.TryRemove(id, out _);

    public string CreateLoginCode(string tokenId, TimeSpan lifetime)
    {
        var code = RandomId();
        _loginCodes[code] = (tokenId, DateTimeOffset.UtcNow + lifetime);
        return code;
    }

    /// <summary>A login code works once.</summary>
    public string? RedeemLoginCode(string code) =>
        _loginCodes.TryRemove(code, out var entry) && entry.Expires > DateTimeOffset.UtcNow ? entry.TokenId : null;

    private static string RandomId() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');
}
