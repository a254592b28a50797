using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Baton.Server.Tests.Browser;

/// <summary>The card being read never changes under the reader; decisions can be taken back; long cards scroll by keyboard.</summary>
[Collection(BrowserCollection.Name)]
public sealed class InboxQueueTests(Chromium chromium)
{
    static InboxQueueTests() => SetDefaultExpectTimeout(30_000);

    [Fact]
    public async Task ReturningCard_QueuesBehind_TopCardStays()
    {
        await using var ui = await WebUi.StartAsync(chromium);
        var runs = new[] { await ui.WaitingReviewAsync(), await ui.StartRunAsync("review") };
        await ui.WaitForStatusAsync(runs[1], "waiting");
        await ui.LogInWithCodeAsync("#/inbox");
        await Expect(ui.Page.Locator(".inbox-counter")).ToHaveTextAsync("2 waiting");
        // The first card is the one the server lists first, so its next round would sort first again.
        var first = await ui.ReadyTopCard.GetAttributeAsync("data-run") ?? "";
        var second = runs.Single(r => r != first);

        await ui.Page.Keyboard.PressAsync("ArrowUp");
        await ui.Page.Locator("#comment").FillAsync("shorter please");
        await ui.Page.Keyboard.PressAsync("Control+Shift+Enter"); // sends at once, no undo window

        await Expect(ui.TopCard).ToHaveAttributeAsync("data-run", second);
        await Expect(ui.TopCard).ToBeFocusedAsync();
        // The re-draft comes back as round 2 of the first run: it queues behind the card being read.
        await Expect(ui.Page.Locator(".inbox-new")).ToHaveTextAsync("1 new");
        await Expect(ui.Page.Locator(".stack .card[data-depth='1']")).ToHaveAttributeAsync("data-round", "2");
        await Expect(ui.Page.Locator(".stack .card[data-depth='1']")).ToHaveAttributeAsync("data-run", first);
        await Expect(ui.TopCard).ToHaveAttributeAsync("data-run", second);
        await ui.ScreenshotAsync("inbox-returning-card");
    }

    [Fact]
    public async Task Undo_TakesTheDecisionBack_NothingSent()
    {
        await using var ui = await WebUi.StartAsync(chromium);
        var run = await ui.WaitingReviewAsync();
        await ui.LogInWithCodeAsync("#/inbox");

        await ui.ReadyTopCard.WaitForAsync();
        await ui.Page.Keyboard.PressAsync("ArrowRight");
        await Expect(ui.Page.Locator(".undo-bar")).ToContainTextAsync("Approved");
        await ui.ScreenshotAsync("inbox-undo");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Undo" }).ClickAsync();
        await Expect(ui.Page.Locator(".undo-bar")).ToBeHiddenAsync();
        await Expect(ui.ReadyTopCard).ToHaveAttributeAsync("data-run", run);
        await Expect(ui.Page.Locator(".inbox .sr-only")).ToContainTextAsync("Undone");

        // Had the approval still been held, deciding again would send it first and the run would succeed.
        await ui.Page.Keyboard.PressAsync("Shift+ArrowLeft");
        var done = await ui.WaitForStatusAsync(run, "succeeded", "failed", "rejected");
        Assert.Equal("rejected", done.GetProperty("status").GetString());
    }

    [Fact]
    public async Task LongCard_ScrollsByKeyboard_UpMeansChangesOnlyAtTheTop()
    {
        await using var ui = await WebUi.StartAsync(chromium, height: 700);
        await ui.WaitingLongReviewAsync();
        await ui.LogInWithCodeAsync("#/inbox");

        await ui.ReadyTopCard.WaitForAsync();
        await Expect(ui.TopCard).ToBeFocusedAsync();
        const string scrollTop = "document.querySelector(\".card[data-depth='0'] .card-body\").scrollTop";
        await ui.Page.Keyboard.PressAsync("PageDown");
        await ui.Page.Keyboard.PressAsync("ArrowDown");
        await ui.Page.WaitForFunctionAsync($"{scrollTop} > 200");
        var scrolled = await ui.Page.EvaluateAsync<double>(scrollTop);

        await ui.Page.Keyboard.PressAsync("ArrowUp");
        await ui.Page.WaitForFunctionAsync($"{scrollTop} < {scrolled}");
        Assert.True(await ui.Page.Locator(".sheet").IsHiddenAsync(), "↑ scrolls a card that can scroll up");

        await ui.Page.Keyboard.PressAsync("PageUp");
        await ui.Page.Keyboard.PressAsync("PageUp");
        await ui.Page.WaitForFunctionAsync($"{scrollTop} === 0");
        await ui.Page.Keyboard.PressAsync("ArrowUp");
        await Expect(ui.Page.Locator("#comment")).ToBeFocusedAsync();
    }
}
