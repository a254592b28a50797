using System.Text.Json;
using Baton.Server.Auth;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Baton.Server.Tests.Browser;

/// <summary>
/// axe-core (vendored from npm by src/Baton.Server/ui-libs/build) checks each page against WCAG 2 A/AA, contrast
/// included, in the light and the dark theme; on a 390 px phone no page scrolls sideways.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AccessibilityTests(Chromium chromium)
{
    static AccessibilityTests() => SetDefaultExpectTimeout(30_000);

    private static readonly Lazy<string> Axe = new(() =>
        File.ReadAllText(WebUi.RepoFile("tests/Baton.Server.Tests/Browser/axe.min.js"))
    );

    [Theory]
    [InlineData(ColorScheme.Light)]
    [InlineData(ColorScheme.Dark)]
    public async Task EveryPage_HasNoAxeViolation(ColorScheme scheme)
    {
        await using var ui = await WebUi.StartAsync(chromium, Role.Owner);
        await ui.Page.EmulateMediaAsync(new() { ColorScheme = scheme, ReducedMotion = ReducedMotion.Reduce });
        var waiting = await ui.WaitingReviewAsync();
        await ui.PutChainAsync("fails", "name: fails\nagents:\n  a:\n    run: echo oops >&2; exit 3\n");
        var failed = await ui.StartRunAsync("fails");
        await ui.WaitForStatusAsync(failed, "failed");
        await ui.LogInWithCodeAsync();

        var pages = new (string Hash, string Ready)[]
        {
            ("#/runs", ".run-row"),
            ($"#/runs/{failed}", ".event[data-type='run.finished']"),
            ($"#/runs/{waiting}", ".agent[data-agent='review']"),
            ("#/inbox", ".stack .card[data-depth='0'][data-ready]"),
            ("#/chains", ".chain-row"),
            ("#/chains/review", "#chain-yaml .cm-content"),
            ("#/costs", ".cost-panels"),
            ("#/admin", ".audit-table"),
        };
        var found = new List<string>();
        foreach (var (hash, ready) in pages)
        {
            await ui.Page.GotoAsync("/" + hash);
            await ui.Page.Locator(ready).First.WaitForAsync();
            await ui.ScreenshotAsync(
                $"axe-{scheme.ToString().ToLowerInvariant()}-{string.Join('-', hash.Split('/')[1..])}"
            );
            found.AddRange((await ViolationsAsync(ui.Page)).Select(v => $"{hash}: {v}"));
        }
        Assert.Empty(found);
    }

    [Fact]
    public async Task Phone_NoPageScrollsSideways()
    {
        await using var ui = await WebUi.StartAsync(chromium, Role.Owner, width: 390, height: 844);
        var run = await ui.WaitingReviewAsync();
        await ui.LogInWithCodeAsync();
        foreach (
            var (hash, ready) in new[]
            {
                ("#/runs", ".run-row"),
                ($"#/runs/{run}", ".agent"),
                ("#/inbox", ".stack .card"),
                ("#/chains", ".chain-row"),
                ("#/chains/review", "#chain-yaml .cm-content"),
                ("#/costs", ".cost-panels"),
                ("#/admin", ".audit-table"),
            }
        )
        {
            await ui.Page.GotoAsync("/" + hash);
            await ui.Page.Locator(ready).First.WaitForAsync();
            Assert.True(
                await ui.Page.EvaluateAsync<bool>(
                    "document.documentElement.scrollWidth <= innerWidth && document.getElementById('view').scrollWidth <= innerWidth"
                ),
                $"{hash} scrolls sideways at 390 px"
            );
        }
    }

    /// <summary>axe's violations as "rule: target (summary)" lines.</summary>
    private static async Task<List<string>> ViolationsAsync(IPage page)
    {
        // Evaluated through the DevTools protocol, so the page's strict CSP does not apply to the checker.
        await page.EvaluateAsync(Axe.Value);
        var result = await page.EvaluateAsync<JsonElement>(
            """
            async () => (await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }))
              .violations.flatMap(v => v.nodes.map(n => `${v.id}: ${n.target.join(' ')} (${n.failureSummary.replace(/\s+/g, ' ')})`))
            """
        );
        return result.EnumerateArray().Select(e => e.GetString()!).ToList();
    }
}
