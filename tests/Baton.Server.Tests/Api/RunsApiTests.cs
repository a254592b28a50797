using System.Net;
using System.Text.Json;
using Baton.Events;
using Baton.Runs;
using Baton.Server.Auth;

namespace Baton.Server.Tests.Api;

public class RunsApiTests
{
    [Fact]
    public async Task PutInvalidChain_422_WithFileLineColumn()
    {
        await using var server = await TestServer.StartAsync();
        using var owner = server.Client(server.Token("default", Role.Owner));
        var answer = await owner.PutAsync(
            "/api/workspaces/default/chains/broken",
            TestServer.Yaml(
                """
                name: broken
                agents:
                  a:
                    run: echo
                    nedds: []
                """
            )
        );
        Assert.Equal(HttpStatusCode.UnprocessableEntity, answer.StatusCode);
        var problem = await TestServer.ReadJson(answer);
        var error = problem.GetProperty("errors")[0];
        Assert.Equal(5, error.GetProperty("line").GetInt32());
        Assert.Equal(5, error.GetProperty("column").GetInt32());
        Assert.Contains("did you mean 'needs'", error.GetProperty("message").GetString());
        Assert.Contains("chains/broken.yaml:5:5", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task EventStream_DeliversEveryEventUntilTheRunFinishes()
    {
        await using var server = await TestServer.StartAsync();
        using var owner = server.Client(server.Token("default", Role.Owner));
        await owner.PutAsync(
            "/api/workspaces/default/chains/slow",
            TestServer.Yaml(
                """
                name: slow
                agents:
                  a:
                    run: sleep 0.3; echo a
                  b:
                    run: echo b
                """
            )
        );
        var id = (
            await TestServer.ReadJson(
                await owner.PostAsync("/api/workspaces/default/runs", TestServer.Json(new { chain = "slow" }))
            )
        )
            .GetProperty("id")
            .GetString();

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/workspaces/default/runs/{id}/events");
        request.Headers.Accept.ParseAdd("text/event-stream");
        using var response = await owner.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var types = new List<string>();
        while (await reader.ReadLineAsync() is { } line)
            if (line.StartsWith("data: ", StringComparison.Ordinal))
                types.Add(
                    System
                        .Text.Json.JsonDocument.Parse(line["data: ".Length..])
                        .RootElement.GetProperty("type")
                        .GetString()!
                );

        Assert.Equal(["run.started", "a.started", "a.done", "b.started", "b.done", "run.finished"], types);
    }

    /// <summary>Issue 13: the API answers one event shape, built from the typed records (docs/events.md, "The API's event shape").</summary>
    [Fact]
    public async Task Events_AnswerTheApiShape_KindToneTextMessage_FromTheRecords()
    {
        await using var server = await TestServer.StartAsync();
        using var owner = server.Client(server.Token("default", Role.Owner));
        await owner.PutAsync(
            "/api/workspaces/default/chains/shape",
            TestServer.Yaml(
                """
                name: shape
                agents:
                  talk: { run: 'echo "{\"percent\": 50}" > "$BATON_INBOX/.p" && mv "$BATON_INBOX/.p" "$BATON_INBOX/progress.json"' }
                  build: { run: echo broken >&2; exit 3 }
                """
            )
        );
        var id = (
            await TestServer.ReadJson(
                await owner.PostAsync("/api/workspaces/default/runs", TestServer.Json(new { chain = "shape" }))
            )
        )
            .GetProperty("id")
            .GetString()!;
        await TestServer.WaitForStatus(owner, "default", id, "failed");

        var events = (await TestServer.ReadJson(await owner.GetAsync($"/api/workspaces/default/runs/{id}/events")))
            .EnumerateArray()
            .ToDictionary(e => e.GetProperty("type").GetString()!);

        var failed = events["build.failed"];
        Assert.Equal("failed", failed.GetProperty("kind").GetString());
        Assert.Equal("failed", failed.GetProperty("tone").GetString());
        Assert.Equal("exited with code 3: broken", failed.GetProperty("message").GetString());
        Assert.Equal("exit: exited with code 3: broken", failed.GetProperty("text").GetString());
        Assert.Equal(3, failed.GetProperty("data").GetProperty("exit_code").GetInt32()); // the file's data, unchanged
        var finished = events["run.finished"];
        Assert.Equal("run.finished", finished.GetProperty("kind").GetString());
        Assert.Equal("finished-failed", finished.GetProperty("tone").GetString());
        var progress = events["talk.progress"];
        Assert.Equal("custom", progress.GetProperty("kind").GetString());
        Assert.Equal(50, progress.GetProperty("data").GetProperty("percent").GetInt32());
        Assert.Equal(JsonValueKind.Null, events["talk.started"].GetProperty("text").ValueKind);
    }

    [Fact]
    public async Task Cancel_StopsARunningRun()
    {
        await using var server = await TestServer.StartAsync();
        using var owner = server.Client(server.Token("default", Role.Owner));
        await owner.PutAsync(
            "/api/workspaces/default/chains/long",
            TestServer.Yaml(
                """
                name: long
                agents:
                  wait:
                    run: sleep 300
                """
            )
        );
        var id = (
            await TestServer.ReadJson(
                await owner.PostAsync("/api/workspaces/default/runs", TestServer.Json(new { chain = "long" }))
            )
        )
            .GetProperty("id")
            .GetString()!;
        await TestServer.WaitForStatus(owner, "default", id, "running");
        var cancel = await owner.PostAsync($"/api/workspaces/default/runs/{id}/cancel", null);
        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        await TestServer.WaitForStatus(owner, "default", id, "cancelled");
    }

    [Fact]
    public async Task ServerStart_ResumesRunsThatWereInFlight()
    {
        string id;
        var (dataPath, token) = await TestServer.StoppedWithChainAsync(
            "default",
            "two",
            """
            name: two
            agents:
              a:
                run: echo a
              b:
                run: echo b
            """
        );
        // A run whose engine died after a finished and b started (written as an engine would have).
        var workspace = new DataRoot(dataPath).OpenWorkspace("default");
        var chainPath = Path.Combine(workspace.Root, "chains", "two.yaml");
        var chain = Chains.ChainLoader.LoadFile(chainPath, workspace.Root);
        var run = await RunCreator.CreateAsync(
            workspace,
            chain,
            File.ReadAllText(chainPath),
            new Dictionary<string, string>(),
            GroupCommitter.Shared
        );
        id = run.Id;
        var log = EventLog.Open(run.Events, GroupCommitter.Shared, out _);
        log.Append(new RunStarted("two", run.Id), null, 0);
        log.Append(new AgentStarted(), "a", 1);
        Directory.CreateDirectory(run.AgentDir("a"));
        File.WriteAllText(run.AgentOutput("a"), "a\n");
        log.Append(new AgentDone("agents/a/output"), "a", 1);
        await log.Append(new AgentStarted(), "b", 1).Durable;

        await using var second = await TestServer.StartAsync(dataPath);
        using var client = second.Client(token);
        var finished = await TestServer.WaitForStatus(client, "default", id, "succeeded");
        Assert.Equal(1, finished.GetProperty("agents").GetProperty("a").GetProperty("attempts").GetInt32());
        Assert.Equal(2, finished.GetProperty("agents").GetProperty("b").GetProperty("attempts").GetInt32());
    }

    [Fact]
    public async Task ServerStart_SkipsARunWithADamagedHistory_AndResumesTheOthers()
    {
        var (dataPath, token) = await TestServer.StoppedWithChainAsync(
            "default",
            "one",
            "name: one\nagents:\n  a:\n    run: echo a\n"
        );
        var workspace = new DataRoot(dataPath).OpenWorkspace("default");
        var chainPath = Path.Combine(workspace.Root, "chains", "one.yaml");
        var chain = Chains.ChainLoader.LoadFile(chainPath, workspace.Root);
        async Task<RunFolder> InFlight()
        {
            var run = await RunCreator.CreateAsync(
                workspace,
                chain,
                File.ReadAllText(chainPath),
                new Dictionary<string, string>(),
                GroupCommitter.Shared
            );
            var log = EventLog.Open(run.Events, GroupCommitter.Shared, out _);
            log.Append(new RunStarted("one", run.Id), null, 0);
            await log.Append(new AgentStarted(), "a", 1).Durable;
            return run;
        }
        var damaged = await InFlight();
        File.WriteAllText(Directory.GetFiles(damaged.Events, "000001-*")[0], "{ not an event"); // corrupt before the last: not a torn tail
        var healthy = await InFlight();
        // A finished run whose history is damaged in the middle: the start needs only its last event.
        var finishedRun = await InFlight();
        await EventLog
            .Open(finishedRun.Events, GroupCommitter.Shared, out _)
            .Append(new RunFinished(RunStatus.Failed, null), null, 0)
            .Durable;
        File.WriteAllText(Directory.GetFiles(finishedRun.Events, "000002-*")[0], "{ not an event");

        await using var second = await TestServer.StartAsync(dataPath);
        using var client = second.Client(token);
        await TestServer.WaitForStatus(client, "default", healthy.Id, "succeeded");
        Assert.StartsWith("{ not an event", File.ReadAllText(Directory.GetFiles(damaged.Events, "000001-*")[0])); // left as it was
        Assert.Equal(2, Directory.GetFiles(damaged.Events).Length); // nothing appended to it
    }

    [Fact]
    public async Task Output_IsServedAsPlainText_NeverSniffed()
    {
        await using var server = await TestServer.StartAsync();
        using var owner = server.Client(server.Token("default", Role.Owner));
        await owner.PutAsync(
            "/api/workspaces/default/chains/xss",
            TestServer.Yaml(
                """
                name: xss
                agents:
                  a:
                    run: echo '<script>alert(1)</script>'
                """
            )
        );
        var id = (
            await TestServer.ReadJson(
                await owner.PostAsync("/api/workspaces/default/runs", TestServer.Json(new { chain = "xss" }))
            )
        )
            .GetProperty("id")
            .GetString()!;
        await TestServer.WaitForStatus(owner, "default", id, "succeeded");
        var output = await owner.GetAsync($"/api/workspaces/default/runs/{id}/agents/a/output");
        Assert.Equal("text/plain", output.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", output.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("<script>alert(1)</script>\n", await output.Content.ReadAsStringAsync());
    }
}
