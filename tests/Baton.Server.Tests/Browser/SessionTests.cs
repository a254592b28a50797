using Baton.Server.Auth;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Baton.Server.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class SessionTests(Chromium chromium)
{
    static SessionTests() => SetDefaultExpectTimeout(30_000);

    [Fact]
    public async Task DeepLink_SurvivesLogin()
    {
        await using var ui = await WebUi.StartAsync(chromium);
        var run = await ui.WaitingReviewAsync();

        await ui.Page.GotoAsync($"/#/runs/{run}"); // not logged in yet
        await ui.Page.Locator("#token").FillAsync(ui.Token);
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();

        await Expect(ui.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"#/runs/{run}$"));
        await Expect(ui.Page.Locator(".agent[data-agent='review'] .card-link")).ToBeVisibleAsync(); // a waiting run links to its card
        await ui.Page.Locator(".agent[data-agent='review'] .card-link").ClickAsync();
        await Expect(ui.TopCard).ToHaveAttributeAsync("data-run", run);
    }

    [Fact]
    public async Task Session_SurvivesServerRestart_LogoutRevokesIt()
    {
        var dataPath = TestServer.NewDataPath();
        var first = await TestServer.StartAsync(dataPath);
        var (_, record) = first.Tokens.Create(WebUi.Workspace, Role.Editor, "editor@restart");
        first.Data.CreateWorkspace(WebUi.Workspace);
        var context = await chromium.Browser.NewContextAsync();
        try
        {
            var page = await context.NewPageAsync();
            await page.GotoAsync(
                $"{first.Url}/login?code={Uri.EscapeDataString(first.Sessions.CreateLoginCode(record.Id, TimeSpan.FromMinutes(5)))}"
            );
            await Expect(page.Locator("#topbar")).ToBeVisibleAsync();
            var cookie = (await context.CookiesAsync()).Single(c => c.Name == "baton_session").Value;
            await first.DisposeAsync();

            // Cookies belong to the host, not the port: the restarted server (on a new port) gets the same one.
            await using var second = await TestServer.StartAsync(dataPath);
            await page.GotoAsync($"{second.Url}/#/inbox");
            await Expect(page.Locator("#topbar")).ToBeVisibleAsync();
            await Expect(page.Locator("#who")).ToHaveTextAsync("team · editor");
            Assert.Equal(0, await page.Locator("#token").CountAsync());

            await page.GetByRole(AriaRole.Button, new() { Name = "Log out" }).ClickAsync();
            await Expect(page.Locator("#token")).ToBeVisibleAsync();
            await using var third = await TestServer.StartAsync(dataPath);
            using var stale = new HttpClient { BaseAddress = new Uri(third.Url) };
            stale.DefaultRequestHeaders.Add("Cookie", $"baton_session={cookie}");
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await stale.GetAsync("/api/session")).StatusCode);
            Assert.Empty(Directory.GetFiles(Path.Combine(dataPath, "server", "sessions")));
        }
        finally
        {
            await context.DisposeAsync();
            await first.DisposeAsync();
            try
            {
                Directory.Delete(dataPath, recursive: true);
            }
            catch (IOException) { }
        }
    }
}
