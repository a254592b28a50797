using System.Security.Cryptography;
using System.Text;
using Baton.Server.Auth;

namespace Baton.Server.Tests.Api;

/// <summary>A run started through the server records the versions of what it ran, and GET …/runs/{id} answers them.</summary>
public class PromptVersionsApiTests
{
    [Fact]
    public async Task RunThroughTheServer_AnswersItsPromptAndChainVersions()
    {
        await using var server = await TestServer.StartAsync();
        using var owner = server.Client(server.Token("default", Role.Owner));
        const string chain = """
            name: ask
            agents:
              q:
                model: offline
                prompt: ../prompts/ask.md
            """;
        var chainSaved = false;

        async Task<System.Text.Json.JsonElement> RunWith(string prompt)
        {
            (
                await owner.PutAsync(
                    "/api/workspaces/default/prompts/ask.md",
                    new StringContent(prompt, Encoding.UTF8, "text/plain")
                )
            ).EnsureSuccessStatusCode();
            if (!chainSaved) // a chain is saved only once the files it references exist
                (
                    await owner.PutAsync("/api/workspaces/default/chains/ask", TestServer.Yaml(chain))
                ).EnsureSuccessStatusCode();
            chainSaved = true;
            var started = await TestServer.ReadJson(
                await owner.PostAsync("/api/workspaces/default/runs", TestServer.Json(new { chain = "ask" }))
            );
            var id = started.GetProperty("id").GetString()!;
            await TestServer.WaitForStatus(owner, "default", id, "succeeded");
            return (await TestServer.ReadJson(await owner.GetAsync($"/api/workspaces/default/runs/{id}"))).GetProperty(
                "versions"
            );
        }

        var first = await RunWith("Say one thing.");
        var second = await RunWith("Say another thing.");

        var prompt = first.GetProperty("prompts").GetProperty("q");
        Assert.Equal("prompts/ask.md", prompt.GetProperty("source").GetString());
        Assert.Equal(
            Convert.ToHexStringLower(SHA256.HashData("Say one thing."u8)),
            prompt.GetProperty("prompt_sha256").GetString()
        );
        Assert.False(prompt.TryGetProperty("git", out _)); // the workspace is no git repository
        Assert.Equal(
            Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(chain))),
            first.GetProperty("chain").GetProperty("sha256").GetString()
        );
        Assert.NotEqual(
            prompt.GetProperty("version").GetString(),
            second.GetProperty("prompts").GetProperty("q").GetProperty("version").GetString()
        );
        Assert.Equal(
            first.GetProperty("chain").GetProperty("sha256").GetString(),
            second.GetProperty("chain").GetProperty("sha256").GetString()
        );
    }
}
