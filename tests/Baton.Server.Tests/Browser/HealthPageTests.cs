using Baton.Health;
using Baton.Monitoring;
using static Microsoft.Playwright.Assertions;

namespace Baton.Server.Tests.Browser;

/// <summary>Issue 15: the Health page shows alerts, the model APIs' health and each chain's cost per run.</summary>
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
        await Expect(ui.Page.Locator("nav [data-nav='health']")).ToHaveAttributeAsync("aria-current", "");
        Assert.Empty(ui.Errors);
    }
}
