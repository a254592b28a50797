using static Microsoft.Playwright.Assertions;

namespace Baton.Server.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class RunDetailTests(Chromium chromium)
{
    static RunDetailTests() => SetDefaultExpectTimeout(30_000);

    private const string Payload = """<script>window.__xss=1</script><img src=x onerror="window.__xss=2">""";

    [Fact]
    public async Task HostileOutput_ShowsAsText_NeverRuns()
    {
        await using var ui = await WebUi.StartAsync(chromium);
        await ui.PutChainAsync(
            "xss",
            """
            name: xss
            agents:
              echo:
                run: |
                  echo '<script>window.__xss=1</script><img src=x onerror="window.__xss=2">'
                  echo '<b onmouseover="window.__xss=3">stderr</b>' >&2
            """
        );
        var run = await ui.StartRunAsync("xss");
        await ui.WaitForStatusAsync(run, "succeeded");
        await ui.LogInWithCodeAsync($"#/runs/{run}");

        var agent = ui.Page.Locator(".agent[data-agent='echo']");
        await agent.Locator(".lazy-output > summary").ClickAsync();
        await Expect(agent.Locator(".text-output")).ToHaveTextAsync(Payload);
        await agent.Locator(".lazy-stderr > summary").ClickAsync();
        await Expect(agent.Locator(".text-stderr")).ToContainTextAsync("<b onmouseover=");

        Assert.Equal(0, await ui.Page.Locator(".agent img, .agent script, .agent b").CountAsync());
        Assert.Equal("undefined", await ui.Page.EvaluateAsync<string>("typeof window.__xss"));
    }

    [Fact]
    public async Task OpenRun_TimelineFollowsLive()
    {
        await using var ui = await WebUi.StartAsync(chromium);
        var run = await ui.WaitingReviewAsync();
        await ui.LogInWithCodeAsync($"#/runs/{run}");
        await Expect(ui.Page.Locator(".live")).ToHaveAttributeAsync("data-state", "live");
        await Expect(ui.Page.Locator(".event[data-type='review.waiting']")).ToBeVisibleAsync();

        var decided = await TestServer.Decide(ui.Api, WebUi.Workspace, run, "review", "approve", "ship it");
        Assert.True(decided.IsSuccessStatusCode);

        await Expect(ui.Page.Locator(".event[data-type='review.decided']"))
            .ToContainTextAsync("approve by editor@team “ship it”");
        await Expect(ui.Page.Locator(".event[data-type='run.finished']")).ToContainTextAsync("succeeded");
        await Expect(ui.Page.Locator(".run-status .badge")).ToHaveTextAsync("succeeded");
        await Expect(ui.Page.Locator(".agent[data-agent='publish'] .agent-state")).ToHaveTextAsync("done");
        await Expect(ui.Page.Locator(".live")).ToHaveAttributeAsync("data-state", "finished");
        var events = await TestServer.ReadJson(
            await ui.Api.GetAsync($"/api/workspaces/{WebUi.Workspace}/runs/{run}/events")
        );
        await Expect(ui.Page.Locator(".event")).ToHaveCountAsync(events.GetArrayLength()); // each once, none missed
    }

    [Fact]
    public async Task RunningAgent_StdoutStreamsLive_ThenFailureShowsTheRealMessage()
    {
        await using var ui = await WebUi.StartAsync(chromium);
        var gate = Path.Combine(Path.GetTempPath(), "baton-ui-gate-" + Guid.NewGuid().ToString("N")[..8]);
        await ui.PutChainAsync(
            "stream",
            """
            name: stream
            inputs:
              who:
                default: world
              gate: {}
            agents:
              talk:
                run: |
                  echo '{"percent": 50}' > "$BATON_INBOX/.progress.tmp" && mv "$BATON_INBOX/.progress.tmp" "$BATON_INBOX/progress.json"
                  echo "tick 1 for $BATON_INPUT_WHO"
                  while [ ! -e "$BATON_INPUT_GATE" ]; do sleep 0.1; done
                  echo "tick 2"
                  echo "bad thing" >&2
                  exit 3
            """
        );
        var response = await ui.Api.PostAsync(
            $"/api/workspaces/{WebUi.Workspace}/runs",
            TestServer.Json(new { chain = "stream", inputs = new { who = "Ada", gate } })
        );
        var run = (await TestServer.ReadJson(response)).GetProperty("id").GetString()!;
        await ui.WaitForStatusAsync(run, "running");
        await ui.LogInWithCodeAsync($"#/runs/{run}");

        await Expect(ui.Page.Locator(".inputs")).ToContainTextAsync("Ada");
        var agent = ui.Page.Locator(".agent[data-agent='talk']");
        await agent.Locator(".lazy-stdout > summary").ClickAsync();
        await Expect(agent.Locator(".text-stdout li")).ToHaveTextAsync(["tick 1 for Ada"]); // while the agent still runs
        await Expect(agent).ToHaveAttributeAsync("data-status", "running");
        await Expect(agent.Locator(".timing-bar")).ToBeVisibleAsync();
        await Expect(ui.Page.Locator(".event[data-type='talk.progress']")).ToContainTextAsync("percent = 50");

        File.WriteAllText(gate, "");
        try
        {
            await Expect(agent.Locator(".text-stdout li")).ToHaveTextAsync(["tick 1 for Ada", "tick 2"]);
            await Expect(agent.Locator(".reason")).ToContainTextAsync("exited with code 3");
            await Expect(ui.Page.Locator(".event[data-type='run.finished']"))
                .ToHaveClassAsync(new System.Text.RegularExpressions.Regex("event-finished-failed"));
            await Expect(agent.Locator(".lazy-stdout a", new() { HasText = "Raw" }))
                .ToHaveAttributeAsync("href", $"/api/workspaces/{WebUi.Workspace}/runs/{run}/agents/talk/logs/stdout");
            await ui.ScreenshotAsync("run-failed-desktop");
        }
        finally
        {
            File.Delete(gate);
        }
    }

    [Fact]
    public async Task Cancel_StopsARunningRun()
    {
        await using var ui = await WebUi.StartAsync(chromium);
        await ui.PutChainAsync(
            "slow",
            """
            name: slow
            agents:
              wait:
                run: sleep 60
            """
        );
        var run = await ui.StartRunAsync("slow");
        await ui.WaitForStatusAsync(run, "running");
        await ui.LogInWithCodeAsync($"#/runs/{run}");

        var cancel = ui.Page.Locator(".run-page .btn-danger");
        await cancel.ClickAsync();
        await Expect(cancel).ToHaveTextAsync("Click again to cancel");
        await cancel.ClickAsync();

        Assert.Equal(
            "cancelled",
            (await ui.WaitForStatusAsync(run, "cancelled", "failed", "succeeded")).GetProperty("status").GetString()
        );
        await Expect(ui.Page.Locator(".event[data-type='run.finished']")).ToContainTextAsync("cancelled");
        await Expect(cancel).ToBeHiddenAsync();
    }
}
