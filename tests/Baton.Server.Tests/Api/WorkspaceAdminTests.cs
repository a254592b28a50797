using System.Net;
using System.Text;
using Baton.Server.Auth;

namespace Baton.Server.Tests.Api;

public class WorkspaceAdminTests
{
    private const string SecretValue = "sk-canary-9f8e7d6c5b4a";

    [Fact]
    public async Task Secrets_OwnerSetsAndListsNames_NeverValues_OthersCannot()
    {
        await using var server = await TestServer.StartAsync();
        using var owner = server.Client(server.Token("default", Role.Owner));
        using var editor = server.Client(server.Token("default", Role.Editor));
        using var stranger = server.Client(server.Token("other", Role.Owner));

        var put = await owner.PutAsync(
            "/api/workspaces/default/secrets/API_KEY",
            new StringContent(SecretValue, Encoding.UTF8, "text/plain")
        );
        Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);
        var names = await owner.GetStringAsync("/api/workspaces/default/secrets");
        Assert.Equal("[\"API_KEY\"]", names);
        Assert.Equal(HttpStatusCode.Forbidden, (await editor.GetAsync("/api/workspaces/default/secrets")).StatusCode);
        Assert.Equal(
            HttpStatusCode.Forbidden,
            (await editor.PutAsync("/api/workspaces/default/secrets/X", new StringContent("v"))).StatusCode
        );
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync("/api/workspaces/default/secrets")).StatusCode);
        Assert.Equal(
            HttpStatusCode.BadRequest,
            (await owner.PutAsync("/api/workspaces/default/secrets/bad-name", new StringContent("v"))).StatusCode
        );
        Assert.Equal(
            HttpStatusCode.NoContent,
            (await owner.DeleteAsync("/api/workspaces/default/secrets/API_KEY")).StatusCode
        );
        Assert.Equal("[]", await owner.GetStringAsync("/api/workspaces/default/secrets"));
    }

    [Fact]
    public async Task CanarySecret_NeverAppearsInAnyFileOrAnswer()
    {
        await using var server = await TestServer.StartAsync();
        using var owner = server.Client(server.Token("default", Role.Owner));
        await owner.PutAsync("/api/workspaces/default/secrets/TOKEN", new StringContent(SecretValue));
        await owner.PutAsync(
            "/api/workspaces/default/chains/leak",
            TestServer.Yaml(
                """
                name: leak
                agents:
                  leak:
                    secrets: [TOKEN]
                    run: |
                      echo "raw $TOKEN"
                      printf %s "$TOKEN" | base64
                      printf %s "$TOKEN" | od -An -tx1 | tr -d ' \n'; echo
                      echo "err $TOKEN" >&2
                      exit 1
                """
            )
        );
        var id = (
            await TestServer.ReadJson(
                await owner.PostAsync("/api/workspaces/default/runs", TestServer.Json(new { chain = "leak" }))
            )
        )
            .GetProperty("id")
            .GetString()!;
        await TestServer.WaitForStatus(owner, "default", id, "failed");

        var forms = new[]
        {
            SecretValue,
            Convert.ToBase64String(Encoding.UTF8.GetBytes(SecretValue)),
            Convert.ToHexStringLower(Encoding.UTF8.GetBytes(SecretValue)),
            Uri.EscapeDataString(SecretValue),
        };
        var answers = new List<string>
        {
            await owner.GetStringAsync($"/api/workspaces/default/runs/{id}"),
            await owner.GetStringAsync($"/api/workspaces/default/runs/{id}/events"),
            await owner.GetStringAsync($"/api/workspaces/default/runs/{id}/agents/leak/logs/stdout"),
            await owner.GetStringAsync($"/api/workspaces/default/runs/{id}/agents/leak/logs/stderr"),
            await owner.GetStringAsync("/api/workspaces/default/audit"),
            await owner.GetStringAsync("/api/workspaces/default/secrets"),
        };
        foreach (var answer in answers)
        foreach (var form in forms)
            Assert.DoesNotContain(form, answer);
        foreach (var file in Directory.EnumerateFiles(server.DataPath, "*", SearchOption.AllDirectories))
        {
            var content = File.ReadAllText(file);
            foreach (var form in forms)
                Assert.False(content.Contains(form, StringComparison.Ordinal), $"{file} holds the secret");
        }
    }

    [Fact]
    public async Task ASecretPastedIntoADecisionComment_IsMaskedEverywhereItIsWritten()
    {
        await using var server = await TestServer.StartAsync();
        using var owner = server.Client(server.Token("default", Role.Owner));
        // Stored in the workspace but declared by no agent of the chain: the comment is masked all the same.
        await owner.PutAsync("/api/workspaces/default/secrets/TOKEN", new StringContent(SecretValue));
        var id = await DecisionFlowTests.StartReviewRun(owner);

        var answer = await TestServer.Decide(
            owner,
            "default",
            id,
            "review",
            "changes",
            $"it failed with: 401 for key {SecretValue}"
        );
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        await TestServer.WaitForStatus(owner, "default", id, "waiting"); // round 2, draft re-ran with the feedback

        Assert.Contains("401 for key ***", await owner.GetStringAsync($"/api/workspaces/default/runs/{id}/events"));
        Assert.Contains("401 for key ***", await owner.GetStringAsync("/api/workspaces/default/audit"));
        foreach (var file in Directory.EnumerateFiles(server.DataPath, "*", SearchOption.AllDirectories))
            Assert.False(
                File.ReadAllText(file).Contains(SecretValue, StringComparison.Ordinal),
                $"{file} holds the secret"
            );
    }

    [Fact]
    public async Task LogsOfARunningAgent_AreServedMasked_ThoughTheFileIsNotYet()
    {
        await using var server = await TestServer.StartAsync();
        using var owner = server.Client(server.Token("default", Role.Owner));
        await owner.PutAsync("/api/workspaces/default/secrets/TOKEN", new StringContent(SecretValue));
        await owner.PutAsync(
            "/api/workspaces/default/chains/talk",
            TestServer.Yaml(
                """
                name: talk
                agents:
                  talk:
                    secrets: [TOKEN]
                    run: |
                      echo "raw $TOKEN"
                      printf %s "$TOKEN" | base64
                      touch "$BATON_RUN_DIR/work/printed"
                      sleep 60
                """
            )
        );
        var id = (
            await TestServer.ReadJson(
                await owner.PostAsync("/api/workspaces/default/runs", TestServer.Json(new { chain = "talk" }))
            )
        )
            .GetProperty("id")
            .GetString()!;
        var printed = Path.Combine(server.Data.WorkspacePath("default"), "runs", id, "work", "printed");
        for (var deadline = DateTime.UtcNow.AddSeconds(30); !File.Exists(printed); await Task.Delay(50))
            Assert.True(DateTime.UtcNow < deadline, "the agent never printed");

        var stdout = await owner.GetStringAsync($"/api/workspaces/default/runs/{id}/agents/talk/logs/stdout");

        Assert.Contains("raw ***", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(SecretValue, stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(
            Convert.ToBase64String(Encoding.UTF8.GetBytes(SecretValue)),
            stdout,
            StringComparison.Ordinal
        );
        await owner.PostAsync($"/api/workspaces/default/runs/{id}/cancel", null);
        await TestServer.WaitForStatus(owner, "default", id, "cancelled");
    }

    [Fact]
    public async Task Audit_RecordsWhoDidWhat()
    {
        await using var server = await TestServer.StartAsync();
        server.Token("default", Role.Viewer); // makes the workspace
        var (token, record) = server.Tokens.Create("default", Role.Owner, "owner@default");
        server.Tokens.Create("default", Role.Owner, "owner@default"); // another token of the same name: the id tells them apart
        using var owner = server.Client(token);
        var id = await DecisionFlowTests.StartReviewRun(owner);
        await TestServer.Decide(owner, "default", id, "review", "approve", "ok by me");
        await owner.PutAsync("/api/workspaces/default/secrets/K", new StringContent("value-123456"));

        var audit = (await TestServer.ReadJson(await owner.GetAsync("/api/workspaces/default/audit")))
            .EnumerateArray()
            .ToList();
        var actions = audit.Select(e => e.GetProperty("action").GetString()).ToList();
        Assert.Equal(["secret.set", "decision.approve", "run.start", "chain.put"], actions);
        Assert.All(audit, e => Assert.Equal("owner@default", e.GetProperty("who").GetString()));
        Assert.All(audit, e => Assert.Equal(record.Id, e.GetProperty("token").GetString()));
        Assert.DoesNotContain(token, await owner.GetStringAsync("/api/workspaces/default/audit"));
        Assert.Equal($"{id}/review", audit[1].GetProperty("target").GetString());
        Assert.DoesNotContain("value-123456", await owner.GetStringAsync("/api/workspaces/default/audit"));
        using var viewer = server.Client(server.Token("default", Role.Viewer));
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync("/api/workspaces/default/audit")).StatusCode);
    }

    [Fact]
    public async Task Config_InvalidIs422WithLineAndColumn_ValidIsSavedAndAudited()
    {
        await using var server = await TestServer.StartAsync();
        using var owner = server.Client(server.Token("default", Role.Owner));
        var bad = await owner.PutAsync(
            "/api/workspaces/default/config",
            TestServer.Yaml("limits:\n  max_concurent_runs: 3\n")
        );
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        var error = (await TestServer.ReadJson(bad)).GetProperty("errors")[0];
        Assert.Equal(2, error.GetProperty("line").GetInt32());
        Assert.Contains("max_concurrent_runs", error.GetProperty("message").GetString());

        var good = await owner.PutAsync(
            "/api/workspaces/default/config",
            TestServer.Yaml("limits:\n  max_concurrent_runs: 3\n")
        );
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        Assert.Equal(
            "limits:\n  max_concurrent_runs: 3\n",
            await owner.GetStringAsync("/api/workspaces/default/config")
        );
        Assert.Contains("config.put", await owner.GetStringAsync("/api/workspaces/default/audit"));
    }

    [Fact]
    public async Task Costs_ByChain()
    {
        await using var server = await TestServer.StartAsync();
        using var owner = server.Client(server.Token("default", Role.Owner));
        await owner.PutAsync(
            "/api/workspaces/default/chains/ask",
            TestServer.Yaml("name: ask\nagents:\n  q:\n    prompt: hello\n")
        );
        var id = (
            await TestServer.ReadJson(
                await owner.PostAsync("/api/workspaces/default/runs", TestServer.Json(new { chain = "ask" }))
            )
        )
            .GetProperty("id")
            .GetString()!;
        await TestServer.WaitForStatus(owner, "default", id, "succeeded");
        var rows = (await TestServer.ReadJson(await owner.GetAsync("/api/workspaces/default/costs?by=chain")))
            .EnumerateArray()
            .ToList();
        var row = Assert.Single(rows);
        Assert.Equal("ask", row.GetProperty("key").GetString());
        Assert.Equal(1, row.GetProperty("calls").GetInt32());
        Assert.Equal(
            HttpStatusCode.BadRequest,
            (await owner.GetAsync("/api/workspaces/default/costs?by=planet")).StatusCode
        );
        Assert.Equal(
            HttpStatusCode.BadRequest,
            (await owner.GetAsync("/api/workspaces/default/costs?since=soon")).StatusCode
        );
    }
}
