using Baton.Health;
using Baton.Monitoring;
using static Microsoft.Playwright.Assertions;

namespace Baton.Server.Tests.Browser;

/// <summary>Issue 15: the Health page (the workspace's monitoring dashboard) shows alerts, the model APIs' health over time, and each chain's cost and quality per run.</summary>
[Collection(BrowserCollection.Name)]
public sealed class HealthPageTests(Chromium chromium)
{
    static HealthPageTests() => SetDefaultExpectTimeout(30_000);

    [Fact]
    public async Task HealthPage_ShowsAlertsModelsAndCostPerRun()
    {
        await using var ui = await WebUi.StartAsync(chromium);
        var root = ui.Server.Data.WorkspacePath(WebUi.Workspace);
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < 6; i++)
            CallHealth.Append(
                root,
                new CallHealth(
                    now.AddMinutes(-i),
                    $"r{i}",
                    "digest",
                    "write",
                    "default",
                    "gpt-4o-mini",
                    i == 0 ? CallOutcome.ServerError : CallOutcome.Ok,
                    400,
                    100,
                    50,
                    i == 0 ? [CallOutcome.ServerError] : [CallOutcome.Ok],
                    false
                )
            );
        for (var i = 0; i < 5; i++)
            RunCost.Append(
                root,
                "digest",
                new RunCost(
                    now.AddHours(i - 5),
                    $"r{i}",
                    "succeeded",
                    [new AgentCost("write", i == 4 ? 0.03 : 0.01, 100, 50, 0, "gpt-4o-mini")]
                )
                {
                    Quality = i == 4 ? 0.5 : 1.0,
                }
            );
        AlertLog.Append(
            root,
            new Alert(now, "cost_spike", "chain 'digest': run r4 cost $0.03, 3× its baseline") { Chain = "digest" }
        );

        await ui.LogInWithCodeAsync("#/health");
        await Expect(ui.Page.Locator("#health-alerts tr[data-type='cost_spike']"))
            .ToContainTextAsync("3× its baseline");
        await Expect(ui.Page.Locator("#health-models tbody tr")).ToContainTextAsync("default (gpt-4o-mini)");
        await Expect(ui.Page.Locator("#health-models tbody tr")).ToContainTextAsync("1 server_error");
        await Expect(ui.Page.Locator("#health-costs [data-chain='digest'] canvas")).ToBeVisibleAsync();
        await Expect(ui.Page.Locator("#health-costs [data-chain='digest']")).ToContainTextAsync("5 runs; last $0.03");
        await Expect(ui.Page.Locator("#health-latency [data-model='default (gpt-4o-mini)'] canvas")).ToBeVisibleAsync();
        await Expect(ui.Page.Locator("#health-quality [data-chain='digest']"))
            .ToContainTextAsync("5 runs with checks; last 50");
        // Each chart (latency and errors, cost per run, quality) was drawn from data, not left empty.
        var points = await ui.Page.EvaluateAsync<int[]>(
            """
            async () => {
              const { Chart } = await import('/lib/chart.js');
              return [...document.querySelectorAll('#health-latency canvas, #health-costs canvas, #health-quality canvas')]
                .map(c => Chart.getChart(c)?.data.datasets[0].data.filter(v => v != null).length ?? 0);
            }
            """
        );
        Assert.Equal(3, points.Length);
        Assert.InRange(points[0], 1, 2); // six calls in the last six minutes: one or two hours
        Assert.Equal([5, 5], points[1..]);
        await Expect(ui.Page.Locator("nav [data-nav='health']")).ToHaveAttributeAsync("aria-current", "");
        Assert.Empty(ui.Errors);
    }
}
