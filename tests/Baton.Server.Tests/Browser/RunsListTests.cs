using static Microsoft.Playwright.Assertions;

namespace Baton.Server.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class RunsListTests(Chromium chromium)
{
    static RunsListTests() => SetDefaultExpectTimeout(30_000);

    [Fact]
    public async Task FiltersAndPages_LiveInTheUrl_RowsKeptAcrossRefreshes()
    {
        await using var ui = await WebUi.StartAsync(chromium);
        await ui.PutChainAsync("alpha", "name: alpha\nagents:\n  a:\n    run: echo ok\n");
        await ui.PutChainAsync("beta", "name: beta\nagents:\n  b:\n    run: echo ok\n");
        var runs = new List<string>();
        foreach (var chain in new[] { "alpha", "beta", "alpha", "alpha" })
        {
            var run = await ui.StartRunAsync(chain);
            await ui.WaitForStatusAsync(run, "succeeded");
            runs.Add(run);
        }
        var alphas = runs.Where(r => r.Contains("-alpha-", StringComparison.Ordinal))
            .OrderDescending(StringComparer.Ordinal)
            .ToList();

        // A link with filters and a page size opens that list.
        await ui.LogInWithCodeAsync("#/runs?chain=alpha&limit=2");
        await Expect(ui.Page.Locator(".run-row")).ToHaveCountAsync(2);
        await Expect(ui.Page.Locator("#chain-filter")).ToHaveValueAsync("alpha");
        Assert.Equal(
            alphas[..2],
            await ui.Page.Locator(".run-row").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.run)")
        );

        // Older → is the next page, by the last run shown.
        await ui.Page.GetByRole(Microsoft.Playwright.AriaRole.Link, new() { Name = "Older →" }).ClickAsync();
        await Expect(ui.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"before={alphas[1]}"));
        await Expect(ui.Page.Locator(".run-row")).ToHaveCountAsync(1);
        await Expect(ui.Page.Locator(".run-row")).ToHaveAttributeAsync("data-run", alphas[2]);

        // Text search goes into the URL too.
        await ui.Page.GotoAsync("/#/runs");
        await ui.Page.Locator("#text-filter").FillAsync(runs[1][^4..]);
        await Expect(ui.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"q={runs[1][^4..]}"));
        await Expect(ui.Page.Locator(".run-row")).ToHaveCountAsync(1);

        // Refreshes patch rows in place: a focused row keeps its element and its focus.
        await ui.Page.Locator("#text-filter").FillAsync("");
        await Expect(ui.Page.Locator(".run-row")).ToHaveCountAsync(4);
        await ui.Page.Locator(".run-row").First.FocusAsync();
        await ui.Page.EvaluateAsync("document.querySelector('.run-row').dataset.marked = 'yes'");
        for (var i = 0; i < 2; i++)
            await ui.Page.WaitForResponseAsync(r => r.Url.Contains("/runs?", StringComparison.Ordinal));
        await Expect(ui.Page.Locator(".run-row[data-marked='yes']")).ToBeFocusedAsync();
    }
}
