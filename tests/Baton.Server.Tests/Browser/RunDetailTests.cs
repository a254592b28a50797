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
        await ui.PutChainAsync("xss", """
            name: xss
            agents:
              echo:
                run: |
                  echo '<script>window.__xss=1</script><img src=x onerror="window.__xss=2">'
                  echo '<b onmouseover="window.__xss=3">stderr</b>' >&2
            """);
        var run = await ui.StartRunAsync("xss");
        await ui.WaitForStatusAsync(run, "succeeded");
        await ui.LogInWithCodeAsync($"#/runs/{run}");

        var agent = ui.Page.Locator(".agent[data-agent='echo']");
        await agent.Locator(".lazy-output > summary").ClickAsync();
        await Expect(agent.Locator(".text-output")).ToHaveTextAsync(Payload + "\n");
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

        await Expect(ui.Page.Locator(".event[data-type='review.decided']")).ToContainTextAsync("approve by editor@team “ship it”");
        await Expect(ui.Page.Locator(".event[data-type='run.finished']")).ToContainTextAsync("succeeded");
        await Expect(ui.Page.Locator(".run-status .badge")).ToHaveTextAsync("succeeded");
        await Expect(ui.Page.Locator(".agent[data-agent='publish'] .agent-state")).ToHaveTextAsync("done");
        await Expect(ui.Page.Locator(".live")).ToHaveAttributeAsync("data-state", "finished");
        var events = await TestServer.ReadJson(await ui.Api.GetAsync($"/api/workspaces/{WebUi.Workspace}/runs/{run}/events"));
        await Expect(ui.Page.Locator(".event")).ToHaveCountAsync(events.GetArrayLength()); // each once, none missed
    }

    [Fact]
    public async Task Cancel_StopsARunningRun()
    {
        await using var ui = await WebUi.StartAsync(chromium);
        await ui.PutChainAsync("slow", """
            name: slow
            agents:
              wait:
                run: sleep 60
            """);
        var run = await ui.StartRunAsync("slow");
        await ui.WaitForStatusAsync(run, "running");
        await ui.LogInWithCodeAsync($"#/runs/{run}");

        var cancel = ui.Page.Locator(".run-page .btn-danger");
        await cancel.ClickAsync();
        await Expect(cancel).ToHaveTextAsync("Click again to cancel");
        await cancel.ClickAsync();

        Assert.Equal("cancelled", (await ui.WaitForStatusAsync(run, "cancelled", "failed", "succeeded")).GetProperty("status").GetString());
        await Expect(ui.Page.Locator(".event[data-type='run.finished']")).ToContainTextAsync("cancelled");
        await Expect(cancel).ToBeHiddenAsync();
    }
}
