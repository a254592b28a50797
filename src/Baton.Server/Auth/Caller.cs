namespace Baton.Server.Auth;

/// <summary>Who is calling: the token (directly, or behind a cookie session) and its role in its workspace.</summary>
public sealed record Caller(string TokenId, string Name, string Workspace, Role Role, Session? Session)
{
    public bool Can(string workspace, Role needed) => workspace == Workspace && Role >= needed;

    public bool Sees(string workspace) => workspace == Workspace;
}

public sealed record Session(string Id, string Csrf, string TokenId, DateTimeOffset Expires);
