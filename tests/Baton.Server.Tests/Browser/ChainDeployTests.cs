using System.Text;
using Baton.Server.Auth;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Baton.Server.Tests.Browser;

/// <summary>The chain page's deployment panel and a promotion's card in the inbox (review: required).</summary>
[Collection(BrowserCollection.Name)]
public sealed class ChainDeployTests(Chromium chromium)
{
    static ChainDeployTests() => SetDefaultExpectTimeout(30_000);

    private const string Chain = """
        name: ask
        agents:
          ask:
            model: offline
            prompt: ../prompts/ask.md
        """;

    private static async Task PutPrompt(HttpClient client, string text) =>
        Assert.True(
            (
                await client.PutAsync(
                    $"/api/workspaces/{WebUi.Workspace}/prompts/ask.md",
                    new StringContent(text, Encoding.UTF8, "text/plain")
                )
            ).IsSuccessStatusCode
        );

    [Fact]
    public async Task ChainPage_ShowsStagingHistoryAndDiff_AndThePromotionCardApprovesInTheInbox()
    {
        await using var ui = await WebUi.StartAsync(chromium, Role.Owner);
        await PutPrompt(ui.Api, "Say one.\n");
        await ui.PutChainAsync("ask", Chain);
        await ui.WaitForStatusAsync(await ui.StartRunAsync("ask"), "succeeded");
        await PutPrompt(ui.Api, "Say two.\n");
        var second = await ui.StartRunAsync("ask");
        await ui.WaitForStatusAsync(second, "succeeded");
        Assert.True(
            (
                await ui.Api.PutAsync(
                    $"/api/workspaces/{WebUi.Workspace}/runs/{second}/mark",
                    TestServer.Json(new { verdict = "bad" })
                )
            ).IsSuccessStatusCode
        );
        Assert.True(
            (
                await ui.Api.PutAsync(
                    $"/api/workspaces/{WebUi.Workspace}/config",
                    TestServer.Yaml("review: required\n")
                )
            ).IsSuccessStatusCode
        );
        using var author = ui.Server.Client(ui.Server.Token(WebUi.Workspace, Role.Editor));
        await PutPrompt(author, "Say three.\n");
        Assert.True(
            (
                await author.PostAsync($"/api/workspaces/{WebUi.Workspace}/chains/ask/promotions", null)
            ).IsSuccessStatusCode
        );

        await ui.LogInWithCodeAsync("#/chains/ask");
        var page = ui.Page;
        var staged = page.Locator(".staged-file[data-path='prompts/ask.md']");
        await Expect(staged).ToContainTextAsync("staged by editor@team");
        await Expect(staged.Locator(".diff-del")).ToContainTextAsync("Say two.");
        await Expect(staged.Locator(".diff-add")).ToContainTextAsync("Say three.");
        var versions = page.Locator(".agent-versions[data-agent='ask'] .versions-table tbody tr");
        await Expect(versions).ToHaveCountAsync(2);
        await Expect(versions.First).ToContainTextAsync("1 succeeded, 1 marked bad");
        await Expect(versions.First).ToContainTextAsync("current");
        await Expect(versions.Last).ToContainTextAsync("last good");
        await page.Locator(".agent-versions[data-agent='ask'] .show-diff").ClickAsync();
        await Expect(page.Locator(".unified-diff")).ToContainTextAsync("-Say one.");
        await Expect(page.Locator(".unified-diff")).ToContainTextAsync("+Say two.");
        await Expect(page.Locator(".promotions-table tr[data-status='open']")).ToContainTextAsync("prompts/ask.md");
        await ui.ScreenshotAsync("chain-deploy");

        await page.GotoAsync("/#/inbox");
        await Expect(ui.TopCard).ToHaveAttributeAsync("data-kind", "promotion");
        await Expect(ui.TopCard).ToContainTextAsync("+Say three.");
        await ui.ReadyTopCard.WaitForAsync();
        await page.Keyboard.PressAsync("Shift+ArrowRight"); // approve, sent at once
        // The promotion is recorded approved just after its files are renamed: wait for the record, then check the file.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (
            (
                await TestServer.ReadJson(
                    await ui.Api.GetAsync($"/api/workspaces/{WebUi.Workspace}/chains/ask/promotions")
                )
            )[0]
                .GetProperty("status")
                .GetString() != "approved"
        )
        {
            Assert.True(DateTime.UtcNow < deadline, "the approval did not promote the staged prompt");
            await Task.Delay(100);
        }
        Assert.Equal("Say three.\n", await ui.Api.GetStringAsync($"/api/workspaces/{WebUi.Workspace}/prompts/ask.md"));

        await page.GotoAsync("/#/chains/ask");
        await Expect(page.Locator(".promotions-table tr[data-status='approved']")).ToHaveCountAsync(1);
        await Expect(page.Locator(".staging-empty")).ToBeVisibleAsync();
        await page.Locator(".rollback").ClickAsync();
        await Expect(page.Locator(".promotions-table tr[data-status='rolled-back']")).ToHaveCountAsync(1);
        Assert.Equal("Say two.\n", await ui.Api.GetStringAsync($"/api/workspaces/{WebUi.Workspace}/prompts/ask.md"));
    }
}
