using Baton.Server.Auth;

namespace Baton.Server.Tests.Api;

/// <summary>The server's token store sees tokens another process (`baton token create`) writes while it runs.</summary>
public sealed class TokenStoreTests : IDisposable
{
    private readonly string _folder = Path.Combine(
        Path.GetTempPath(),
        "baton-tokens-" + Guid.NewGuid().ToString("N")[..12]
    );

    public TokenStoreTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void TokensFileMadeAndChangedByAnotherStore_AreSeen_ByOneThatLookedBefore()
    {
        var path = Path.Combine(_folder, "tokens.json");
        var server = new TokenStore(path);
        var cli = new TokenStore(path);
        Assert.Null(server.Find(TokenStore.Prefix + "nothing-yet")); // no file: nothing found, and that is remembered

        var (token, record) = cli.Create("default", Role.Editor, "ci");

        Assert.Equal(record.Id, server.Find(token)?.Id);
        Assert.True(cli.Revoke(record.Id));
        Assert.Null(server.Find(token));
        File.Delete(path);
        Assert.Null(server.Find(token));
        Assert.Empty(server.All());
    }
}
