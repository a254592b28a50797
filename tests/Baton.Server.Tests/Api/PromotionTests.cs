using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Baton.Server.Auth;
using Baton.Server.Tests.Browser;

namespace Baton.Server.Tests.Api;

/// <summary>
/// Review and promotion through real Kestrel, the prompt agent calling a fake OpenAI-wire server on
/// 127.0.0.1: with `review: required` a PUT stages, production runs keep using production, the author
/// cannot approve, failing tests block unless an owner overrides with a reason, approval renames the
/// staged files into production, and rollback restores the previous production. Every step audited.
/// </summary>
public sealed class PromotionTests : IAsyncLifetime
{
    private const string Ws = "default";
    private const string Chain = """
        name: ask
        agents:
          ask:
            prompt: ../prompts/ask.md
            model: fake
        """;

    private readonly FakeOpenAi _fake = new();
    private TestServer _server = null!;
    private HttpClient _owner = null!;
    private HttpClient _author = null!;
    private HttpClient _reviewer = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        _owner = _server.Client(_server.Token(Ws, Role.Owner));
        _author = _server.Client(_server.Token(Ws, Role.Editor));
        _reviewer = _server.Client(_server.Token(Ws, Role.Reviewer));
        await Ok(await _owner.PutAsync($"/api/workspaces/{Ws}/secrets/FAKE_KEY", new StringContent("sk-fake")));
        await Ok(await _owner.PutAsync($"/api/workspaces/{Ws}/config", TestServer.Yaml(Config("optional"))));
        await Ok(await PutPrompt(_author, "Say hello.\n"));
        await Ok(await _author.PutAsync($"/api/workspaces/{Ws}/chains/ask", TestServer.Yaml(Chain)));
        await Ok(await _owner.PutAsync($"/api/workspaces/{Ws}/config", TestServer.Yaml(Config("required"))));
    }

    public async Task DisposeAsync()
    {
        _owner.Dispose();
        _author.Dispose();
        _reviewer.Dispose();
        await _server.DisposeAsync();
        await _fake.DisposeAsync();
    }

    private string Config(string review) =>
        $"""
            review: {review}
            providers:
              fake:
                type: openai
                base_url: {_fake.BaseUrl}
                api_key: ${"{"}secret:FAKE_KEY{"}"}
                model: gpt-4o-mini
                stream: false
            """;

    private string Root => _server.Data.WorkspacePath(Ws);

    private static async Task Ok(HttpResponseMessage response) =>
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());

    private static async Task Status(HttpStatusCode expected, HttpResponseMessage response) =>
        Assert.True(
            response.StatusCode == expected,
            $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}"
        );

    private static Task<HttpResponseMessage> PutPrompt(HttpClient client, string text) =>
        client.PutAsync($"/api/workspaces/{Ws}/prompts/ask.md", new StringContent(text, Encoding.UTF8, "text/plain"));

    private void WriteCases(string assertion) =>
        File.WriteAllText(
            Path.Combine(Directory.CreateDirectory(Path.Combine(Root, "tests")).FullName, "ask.yaml"),
            $"tests:\n  - description: greets\n    assert:\n      - {assertion}\n"
        );

    /// <summary>Runs the chain (production, or staging) to its end; the SHA-256 of the prompt text it ran.</summary>
    private async Task<string> RunPromptSha(string? version = null)
    {
        var started = await TestServer.ReadJson(
            await _author.PostAsync($"/api/workspaces/{Ws}/runs", TestServer.Json(new { chain = "ask", version }))
        );
        var id = started.GetProperty("id").GetString()!;
        var run = await TestServer.WaitForStatus(_author, Ws, id, "succeeded", "failed");
        Assert.Equal("succeeded", run.GetProperty("status").GetString());
        return run.GetProperty("versions")
            .GetProperty("prompts")
            .GetProperty("ask")
            .GetProperty("prompt_sha256")
            .GetString()!;
    }

    /// <summary>The prompt SHA-256 of the run the `after: ask` trigger started (the first one).</summary>
    private async Task<string> TriggeredPromptSha()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var runs = await TestServer.ReadJson(await _author.GetAsync($"/api/workspaces/{Ws}/runs?chain=follow"));
            if (runs.GetArrayLength() > 0 && runs[0].GetProperty("status").GetString() == "succeeded")
            {
                var run = await TestServer.ReadJson(
                    await _author.GetAsync($"/api/workspaces/{Ws}/runs/{runs[0].GetProperty("id").GetString()}")
                );
                return run.GetProperty("versions")
                    .GetProperty("prompts")
                    .GetProperty("ask")
                    .GetProperty("prompt_sha256")
                    .GetString()!;
            }
            Assert.True(DateTime.UtcNow < deadline, "the after: ask trigger started no run of follow");
            await Task.Delay(50);
        }
    }

    private static string Sha(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private async Task<JsonElement> Open(HttpStatusCode expected = HttpStatusCode.Created)
    {
        var opened = await _author.PostAsync($"/api/workspaces/{Ws}/chains/ask/promotions", null);
        await Status(expected, opened);
        return await TestServer.ReadJson(opened);
    }

    private static Task<HttpResponseMessage> Decide(
        HttpClient client,
        JsonElement promotion,
        string decision,
        string? overrideReason = null,
        string? comment = null
    ) =>
        client.PostAsync(
            $"/api/workspaces/{Ws}/chains/ask/promotions/{promotion.GetProperty("id").GetString()}/decisions",
            TestServer.Json(
                new
                {
                    decision,
                    comment,
                    shown_hash = promotion.GetProperty("shown_hash").GetString(),
                    override_reason = overrideReason,
                }
            )
        );

    private static long Inode(string path)
    {
        using var stat = Process.Start(
            new ProcessStartInfo("stat", ["-c", "%i", path]) { RedirectStandardOutput = true }
        )!;
        var text = stat.StandardOutput.ReadToEnd();
        stat.WaitForExit();
        return long.Parse(text.Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<int> PendingCount() =>
        (await TestServer.ReadJson(await _reviewer.GetAsync($"/api/workspaces/{Ws}/decisions/count")))
            .GetProperty("pending")
            .GetInt32();

    private async Task<List<string>> AuditActions() =>
        [
            .. (await TestServer.ReadJson(await _owner.GetAsync($"/api/workspaces/{Ws}/audit")))
                .EnumerateArray()
                .Select(e => $"{e.GetProperty("action").GetString()} {e.GetProperty("detail")}"),
        ];

    [Fact]
    public async Task StagedPrompt_IsNotUsedByProduction_AuthorCannotApprove_ApprovalRenamesIt_RollbackRestores()
    {
        WriteCases("{type: icontains, value: hello}");
        await Status(
            HttpStatusCode.Forbidden,
            await _author.PutAsync($"/api/workspaces/{Ws}/config", TestServer.Yaml(Config("optional")))
        );

        // A chain started by a trigger (after ask) also uses the same prompt file: triggers run production.
        File.WriteAllText(
            Path.Combine(Root, "chains/follow.yaml"),
            Chain.Replace("name: ask", "name: follow\ntriggers:\n  - after: ask", StringComparison.Ordinal)
        );

        await Status(HttpStatusCode.Conflict, await _author.DeleteAsync($"/api/workspaces/{Ws}/prompts/ask.md"));
        await Status(HttpStatusCode.Accepted, await PutPrompt(_author, "Say hello warmly.\n"));
        Assert.Equal("Say hello.\n", await _author.GetStringAsync($"/api/workspaces/{Ws}/prompts/ask.md"));
        Assert.Equal(Sha("Say hello.\n"), await RunPromptSha());
        Assert.Equal(Sha("Say hello.\n"), await TriggeredPromptSha());
        Assert.Equal(Sha("Say hello warmly.\n"), await RunPromptSha("staging"));
        Assert.Equal(Sha("Say hello.\n"), await RunPromptSha()); // production still

        var promotion = await Open();
        Assert.Equal("open", promotion.GetProperty("status").GetString());
        var file = Assert.Single(promotion.GetProperty("files").EnumerateArray());
        Assert.Equal("prompts/ask.md", file.GetProperty("path").GetString());
        Assert.Contains("-Say hello.", file.GetProperty("diff").GetString(), StringComparison.Ordinal);
        Assert.Contains("+Say hello warmly.", file.GetProperty("diff").GetString(), StringComparison.Ordinal);
        var tests = promotion.GetProperty("tests");
        Assert.True(tests.GetProperty("passed").GetBoolean(), tests.ToString());
        Assert.Equal("1 of 1 case passed", tests.GetProperty("summary").GetString());

        var card = Assert.Single(
            (await TestServer.ReadJson(await _reviewer.GetAsync($"/api/workspaces/{Ws}/decisions"))).EnumerateArray(),
            c => c.GetProperty("kind").GetString() == "promotion"
        );
        Assert.Equal(promotion.GetProperty("id").GetString(), card.GetProperty("run").GetString());
        Assert.Contains("+Say hello warmly.", card.GetProperty("shown").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, await PendingCount()); // the inbox badge counts it

        await Status(HttpStatusCode.Forbidden, await Decide(_author, promotion, "approve"));
        Assert.Equal(Sha("Say hello.\n"), await RunPromptSha());

        var staged = Inode(Path.Combine(Root, ".baton/staging/prompts/ask.md"));
        await Status(HttpStatusCode.OK, await Decide(_reviewer, promotion, "approve", comment: "reads well"));
        Assert.Equal(staged, Inode(Path.Combine(Root, "prompts/ask.md"))); // renamed, not copied
        Assert.False(File.Exists(Path.Combine(Root, ".baton/staging/prompts/ask.md")));
        Assert.Equal(Sha("Say hello warmly.\n"), await RunPromptSha());
        await Status(HttpStatusCode.Conflict, await Decide(_reviewer, promotion, "approve")); // decided already
        Assert.DoesNotContain(
            (await TestServer.ReadJson(await _reviewer.GetAsync($"/api/workspaces/{Ws}/decisions"))).EnumerateArray(),
            c => c.GetProperty("kind").GetString() == "promotion"
        );
        Assert.Equal(0, await PendingCount());

        await Status(HttpStatusCode.OK, await _author.PostAsync($"/api/workspaces/{Ws}/chains/ask/rollback", null));
        Assert.Equal("Say hello.\n", await _author.GetStringAsync($"/api/workspaces/{Ws}/prompts/ask.md"));
        Assert.Equal(Sha("Say hello.\n"), await RunPromptSha());
        await Status(
            HttpStatusCode.Conflict,
            await _author.PostAsync($"/api/workspaces/{Ws}/chains/ask/rollback", null)
        );

        var audit = await AuditActions();
        foreach (var action in new[] { "prompt.stage", "promotion.open", "promotion.approve", "promotion.rollback" })
            Assert.Contains(audit, a => a.StartsWith(action, StringComparison.Ordinal));
    }

    [Fact]
    public async Task FailingTests_BlockApproval_UnlessAnOwnerOverridesWithAWrittenReason()
    {
        WriteCases("{type: equals, value: goodbye}"); // the fake always answers "hello"
        var stagedChain = Chain.Replace("name: ask", "name: ask\ndescription: staged", StringComparison.Ordinal);
        await Status(
            HttpStatusCode.Accepted,
            await _author.PutAsync($"/api/workspaces/{Ws}/chains/ask", TestServer.Yaml(stagedChain))
        );
        await Status(HttpStatusCode.Accepted, await PutPrompt(_author, "Say goodbye.\n"));
        Assert.Equal(Chain, await _author.GetStringAsync($"/api/workspaces/{Ws}/chains/ask"));

        var promotion = await Open();
        Assert.Equal(2, promotion.GetProperty("files").GetArrayLength());
        Assert.False(promotion.GetProperty("tests").GetProperty("passed").GetBoolean());

        var blocked = await Decide(_reviewer, promotion, "approve");
        await Status(HttpStatusCode.Conflict, blocked);
        Assert.Contains("tests failed", await blocked.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await Status(HttpStatusCode.Forbidden, await Decide(_reviewer, promotion, "approve", "ship it anyway"));
        Assert.Equal(Chain, await _author.GetStringAsync($"/api/workspaces/{Ws}/chains/ask"));

        await Status(
            HttpStatusCode.OK,
            await Decide(_owner, promotion, "approve", "the case expects the old wording; fixed next")
        );
        Assert.Equal(stagedChain, await _author.GetStringAsync($"/api/workspaces/{Ws}/chains/ask"));
        Assert.Equal("Say goodbye.\n", await _author.GetStringAsync($"/api/workspaces/{Ws}/prompts/ask.md"));
        Assert.Contains(await AuditActions(), a =>
            a.StartsWith("promotion.approve", StringComparison.Ordinal)
            && a.Contains("the case expects the old wording", StringComparison.Ordinal)
        );

        // Rejected or sent back, the staged files stay staged; staging again after opening makes the promotion stale.
        await Status(HttpStatusCode.Accepted, await PutPrompt(_author, "Say farewell.\n"));
        var second = await Open();
        await Status(HttpStatusCode.OK, await Decide(_reviewer, second, "changes", comment: "too formal"));
        Assert.Equal("Say goodbye.\n", await _author.GetStringAsync($"/api/workspaces/{Ws}/prompts/ask.md"));
        var third = await Open();
        await Status(HttpStatusCode.Accepted, await PutPrompt(_author, "Say bye.\n"));
        await Status(HttpStatusCode.Conflict, await Decide(_owner, third, "approve", "ok"));
        Assert.Equal("Say goodbye.\n", await _author.GetStringAsync($"/api/workspaces/{Ws}/prompts/ask.md"));
    }
}
