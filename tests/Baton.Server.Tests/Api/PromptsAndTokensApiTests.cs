using System.Net;
using Baton.Server.Auth;

namespace Baton.Server.Tests.Api;

public class PromptsAndTokensApiTests
{
    [Fact]
    public async Task PromptFile_Uploaded_ChainUsesIt_RunRepliesFromIt()
    {
        await using var server = await TestServer.StartAsync();
        using var editor = server.Client(server.Token("default", Role.Editor));
        var put = await editor.PutAsync(
            "/api/workspaces/default/prompts/greet.md",
            new StringContent("Say hello to {{ inputs.who }}")
        );
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal("../prompts/greet.md", (await TestServer.ReadJson(put)).GetProperty("reference").GetString());
        var list = await TestServer.ReadJson(await editor.GetAsync("/api/workspaces/default/prompts"));
        Assert.Equal("greet.md", list[0].GetProperty("name").GetString());
        Assert.Equal(
            "Say hello to {{ inputs.who }}",
            await editor.GetStringAsync("/api/workspaces/default/prompts/greet.md")
        );

        var chain = await editor.PutAsync(
            "/api/workspaces/default/chains/hello",
            TestServer.Yaml(
                """
                name: hello
                inputs:
                  who:
                    default: Ada
                agents:
                  greet:
                    prompt: ../prompts/greet.md
                    model: offline
                """
            )
        );
        Assert.True(chain.IsSuccessStatusCode, await chain.Content.ReadAsStringAsync());
        var id = (
            await TestServer.ReadJson(
                await editor.PostAsync("/api/workspaces/default/runs", TestServer.Json(new { chain = "hello" }))
            )
        )
            .GetProperty("id")
            .GetString()!;
        Assert.Equal(
            "succeeded",
            (await TestServer.WaitForStatus(editor, "default", id, "succeeded", "failed"))
                .GetProperty("status")
                .GetString()
        );
    }

    [Theory]
    [InlineData("..%2Fescape.md")]
    [InlineData("..md")]
    [InlineData("run.sh")]
    [InlineData(".hidden.md")]
    [InlineData("a..b.md")]
    public async Task PromptFile_BadName_Refused_NothingWritten(string name)
    {
        await using var server = await TestServer.StartAsync();
        using var editor = server.Client(server.Token("default", Role.Editor));
        var put = await editor.PutAsync($"/api/workspaces/default/prompts/{name}", new StringContent("x"));
        Assert.True(
            put.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound,
            $"{name}: {put.StatusCode}"
        );
        var folder = Path.Combine(server.Data.WorkspacePath("default"), "prompts");
        Assert.True(!Directory.Exists(folder) || Directory.GetFileSystemEntries(folder).Length == 0);
        Assert.False(File.Exists(Path.Combine(server.Data.WorkspacePath("default"), "escape.md")));
    }

    [Fact]
    public async Task PromptFile_Symlinks_NeitherReadNorFollowed()
    {
        await using var server = await TestServer.StartAsync();
        using var editor = server.Client(server.Token("default", Role.Editor));
        var outside = Path.Combine(Path.GetTempPath(), "baton-prompt-outside-" + Guid.NewGuid().ToString("N")[..8]);
        File.WriteAllText(outside, "not yours");
        try
        {
            var folder = Path.Combine(server.Data.WorkspacePath("default"), "prompts");
            Directory.CreateDirectory(folder);
            File.CreateSymbolicLink(Path.Combine(folder, "link.md"), outside);
            Assert.Equal(
                HttpStatusCode.NotFound,
                (await editor.GetAsync("/api/workspaces/default/prompts/link.md")).StatusCode
            );
            Assert.Empty(
                (await TestServer.ReadJson(await editor.GetAsync("/api/workspaces/default/prompts"))).EnumerateArray()
            );
            Assert.True(
                (
                    await editor.PutAsync("/api/workspaces/default/prompts/link.md", new StringContent("mine"))
                ).IsSuccessStatusCode
            );
            Assert.Equal("not yours", File.ReadAllText(outside)); // the link was replaced, not written through
            Assert.Null(new FileInfo(Path.Combine(folder, "link.md")).LinkTarget);

            Directory.Delete(folder, recursive: true);
            var elsewhere = Directory.CreateTempSubdirectory("baton-prompts-elsewhere-");
            Directory.CreateSymbolicLink(folder, elsewhere.FullName);
            Assert.Equal(
                HttpStatusCode.Conflict,
                (await editor.PutAsync("/api/workspaces/default/prompts/x.md", new StringContent("x"))).StatusCode
            );
            Assert.Empty(elsewhere.GetFiles());
            elsewhere.Delete(true);
        }
        finally
        {
            File.Delete(outside);
        }
    }

    [Fact]
    public async Task Tokens_CreateListRevoke_OwnersOnly_OwnWorkspaceOnly()
    {
        await using var server = await TestServer.StartAsync();
        using var owner = server.Client(server.Token("default", Role.Owner));
        using var editor = server.Client(server.Token("default", Role.Editor));
        using var otherOwner = server.Client(server.Token("other", Role.Owner));
        Assert.Equal(HttpStatusCode.Forbidden, (await editor.GetAsync("/api/workspaces/default/tokens")).StatusCode);

        var created = await TestServer.ReadJson(
            await owner.PostAsync(
                "/api/workspaces/default/tokens",
                TestServer.Json(new { name = "ci bot", role = "reviewer" })
            )
        );
        var token = created.GetProperty("token").GetString()!;
        var id = created.GetProperty("id").GetString()!;
        using var bot = server.Client(token);
        Assert.Equal(HttpStatusCode.OK, (await bot.GetAsync("/api/workspaces/default/decisions")).StatusCode);
        var listed = await owner.GetStringAsync("/api/workspaces/default/tokens");
        Assert.Contains("ci bot", listed);
        Assert.DoesNotContain(token, listed);
        Assert.DoesNotContain("hash", listed);

        Assert.Equal(
            HttpStatusCode.NotFound,
            (await otherOwner.DeleteAsync($"/api/workspaces/other/tokens/{id}")).StatusCode
        );
        Assert.Equal(
            HttpStatusCode.BadRequest,
            (
                await owner.PostAsync(
                    "/api/workspaces/default/tokens",
                    TestServer.Json(new { name = "x", role = "god" })
                )
            ).StatusCode
        );
        Assert.Equal(
            HttpStatusCode.NoContent,
            (await owner.DeleteAsync($"/api/workspaces/default/tokens/{id}")).StatusCode
        );
        Assert.Equal(HttpStatusCode.Unauthorized, (await bot.GetAsync("/api/workspaces/default/decisions")).StatusCode);
        Assert.Contains("token.revoke", await owner.GetStringAsync("/api/workspaces/default/audit"));
    }
}
