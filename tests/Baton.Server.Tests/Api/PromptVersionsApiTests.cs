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
        var runIds = new List<string>();

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
            runIds.Add(id);
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

        // The history and the diff over the API, as prompt log / prompt diff give them.
        (
            await owner.PutAsync(
                "/api/workspaces/default/prompts/ask.md",
                new StringContent("Say a third thing.", Encoding.UTF8, "text/plain")
            )
        ).EnsureSuccessStatusCode();
        using var viewer = server.Client(server.Token("default", Role.Viewer));
        var versions = await TestServer.ReadJson(
            await viewer.GetAsync("/api/workspaces/default/chains/ask/agents/q/versions")
        );
        Assert.Equal(2, versions.GetArrayLength());
        Assert.True(versions[1].GetProperty("last_good").GetBoolean());
        var diff = await viewer.GetStringAsync("/api/workspaces/default/chains/ask/agents/q/diff");
        Assert.Contains("-Say another thing.", diff, StringComparison.Ordinal);
        Assert.Contains("+Say a third thing.", diff, StringComparison.Ordinal);

        // Marking needs an editor, and moves last-good back to the first version.
        Assert.Equal(
            System.Net.HttpStatusCode.Forbidden,
            (
                await viewer.PutAsync(
                    $"/api/workspaces/default/runs/{runIds[1]}/mark",
                    TestServer.Json(new { verdict = "bad" })
                )
            ).StatusCode
        );
        (
            await owner.PutAsync(
                $"/api/workspaces/default/runs/{runIds[1]}/mark",
                TestServer.Json(new { verdict = "bad" })
            )
        ).EnsureSuccessStatusCode();
        diff = await viewer.GetStringAsync("/api/workspaces/default/chains/ask/agents/q/diff?against=last-good");
        Assert.Contains("-Say one thing.", diff, StringComparison.Ordinal);
        Assert.Equal(
            "bad",
            (await TestServer.ReadJson(await viewer.GetAsync($"/api/workspaces/default/runs/{runIds[1]}")))
                .GetProperty("mark")
                .GetString()
        );
        Assert.Equal(
            System.Net.HttpStatusCode.NotFound,
            (await viewer.GetAsync("/api/workspaces/default/chains/ask/agents/q/diff?against=zzzz")).StatusCode
        );
        Assert.Equal(
            System.Net.HttpStatusCode.NotFound,
            (await viewer.GetAsync("/api/workspaces/default/chains/ask/agents/nope/versions")).StatusCode
        );
    }
}
