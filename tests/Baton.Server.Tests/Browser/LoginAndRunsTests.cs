using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Baton.Server.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class LoginAndRunsTests(Chromium chromium)
{
    static LoginAndRunsTests() => SetDefaultExpectTimeout(30_000);

    [Fact]
    public async Task TokenInLoginForm_ShowsRunsList_AndStartsARun()
    {
        await using var ui = await WebUi.StartAsync(chromium);
        await ui.PutChainAsync("review", await File.ReadAllTextAsync(WebUi.RepoFile("examples/review.yaml")));
        var existing = await ui.StartRunAsync("review");
        var page = ui.Page;

        await page.GotoAsync("/");
        await page.Locator("#token").FillAsync("bt_not-a-token");
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await Expect(page.Locator(".login-form .form-error")).ToContainTextAsync("not valid");

        await page.Locator("#token").FillAsync(ui.Token);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Runs");
        await Expect(page.Locator("#who")).ToContainTextAsync("team · editor");
        await Expect(page.Locator($".run-row[data-run='{existing}']")).ToBeVisibleAsync();
        await Expect(page.Locator($".run-row[data-run='{existing}'] .badge")).ToHaveTextAsync("waiting"); // live: polled

        // An editor starts a run from the list; the page moves to its detail.
        await page.GetByText("Start a run…").ClickAsync();
        await Expect(page.Locator(".start-inputs input[name='topic']")).ToHaveValueAsync("event files");
        await page.Locator(".start-inputs input[name='topic']").FillAsync("browsers");
        await page.GetByRole(AriaRole.Button, new() { Name = "Start run" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("#/runs/."));
        var started = Uri.UnescapeDataString(page.Url[(page.Url.IndexOf("#/runs/", StringComparison.Ordinal) + 7)..]);
        Assert.NotEqual(existing, started);
        await Expect(page.Locator(".event[data-type='review.waiting']")).ToBeVisibleAsync(); // live timeline

        // The filter asks the server for one status only.
        await page.GotoAsync("/#/runs");
        await page.Locator("#status-filter").SelectOptionAsync("succeeded");
        await Expect(page.Locator(".empty")).ToContainTextAsync("No run matches these filters");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("#/runs\\?status=succeeded$"));
        await page.Locator("#status-filter").SelectOptionAsync("waiting");
        await Expect(page.Locator(".run-row")).ToHaveCountAsync(2);

        // Logging out ends the session on the server too.
        await page.GetByRole(AriaRole.Button, new() { Name = "Log out" }).ClickAsync();
        await Expect(page.Locator("#token")).ToBeVisibleAsync();
        var session = await page.APIRequest.GetAsync("/api/session");
        Assert.Equal(401, session.Status);
    }

    [Fact]
    public async Task UsedLoginLink_SaysSo()
    {
        await using var ui = await WebUi.StartAsync(chromium, Auth.Role.Viewer);
        var code = ui.Server.Sessions.CreateLoginCode(ui.TokenId, TimeSpan.FromMinutes(5));
        await ui.Page.GotoAsync($"/login?code={code}");
        await Expect(ui.Page.Locator("#who")).ToContainTextAsync("viewer");
        await Expect(ui.Page.GetByText("Start a run…")).ToHaveCountAsync(0); // viewers cannot start runs

        await ui.Context.ClearCookiesAsync();
        await ui.Page.GotoAsync($"/login?code={code}");
        await Expect(ui.Page.Locator(".login-form .form-error")).ToContainTextAsync("expired or was already used");
    }
}
