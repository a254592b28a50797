using System.Net;
using Baton.Server.Auth;

namespace Baton.Server.Tests.Monitoring;

/// <summary>Issue 15: the alerts webhook's signing key, for the receiver: owners only, and never a file in the workspace.</summary>
public class SigningKeyApiTests
{
    [Fact]
    public async Task Owner_ReadsTheDerivedSigningKey_OthersDoNot()
    {
        await using var server = await TestServer.StartAsync();
        var ws = $"key-{Guid.NewGuid().ToString("N")[..8]}";
        using var owner = server.Client(server.Token(ws, Role.Owner));
        using var editor = server.Client(server.Token(ws, Role.Editor));
        using var outsider = server.Client(server.Token($"key-{Guid.NewGuid().ToString("N")[..8]}", Role.Owner));

        var answer = await owner.GetAsync($"/api/workspaces/{ws}/alerts/signing-key");

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var key = (await answer.Content.ReadAsStringAsync()).Trim();
        Assert.Equal(
            Convert.ToHexStringLower(server.Data.OpenWorkspace(ws).Secrets().DerivedKey("alerts-webhook")),
            key
        );
        Assert.Equal(64, key.Length);
        Assert.False(File.Exists(Path.Combine(server.Data.WorkspacePath(ws), ".baton", "alerts-webhook.key")));
        Assert.NotEqual(
            HttpStatusCode.OK,
            (await editor.GetAsync($"/api/workspaces/{ws}/alerts/signing-key")).StatusCode
        );
        Assert.Equal(
            HttpStatusCode.NotFound,
            (await outsider.GetAsync($"/api/workspaces/{ws}/alerts/signing-key")).StatusCode
        );
    }
}
