using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Baton.Server.Tests.Browser;

/// <summary>Swipes on a phone with real touch events (not a mouse): the browser's own panning must not steal them.</summary>
[Collection(BrowserCollection.Name)]
public sealed class InboxTouchTests(Chromium chromium)
{
    static InboxTouchTests() => SetDefaultExpectTimeout(30_000);

    [Fact]
    public async Task TouchSwipeRight_OnShortCardBody_Approves()
    {
        await using var ui = await WebUi.StartAsync(chromium, width: 390, height: 844);
        var run = await ui.WaitingReviewAsync();
        await ui.LogInWithCodeAsync("#/inbox");

        await ui.ReadyTopCard.WaitForAsync();
        var body = await ui.TopCard.Locator(".card-body").BoundingBoxAsync()
            ?? throw new InvalidOperationException("not laid out");
        await ui.TouchSwipeAsync(body.X + body.Width / 3, body.Y + body.Height / 2, 220, 8);

        await Expect(ui.Page.Locator(".undo-bar")).ToContainTextAsync("Approved");
        var done = await ui.WaitForStatusAsync(run, "succeeded", "failed", "rejected");
        Assert.Equal("succeeded", done.GetProperty("status").GetString());
    }

    [Fact]
    public async Task TouchSwipeUp_OnLongCardBody_Scrolls_SidewaysSwipeStillDecides()
    {
        await using var ui = await WebUi.StartAsync(chromium, width: 390, height: 844);
        var run = await ui.WaitingLongReviewAsync();
        await ui.LogInWithCodeAsync("#/inbox");

        await ui.ReadyTopCard.WaitForAsync();
        var bodyLocator = ui.TopCard.Locator(".card-body");
        await Expect(bodyLocator).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("scrollable"));
        var body = await bodyLocator.BoundingBoxAsync() ?? throw new InvalidOperationException("not laid out");
        await ui.TouchSwipeAsync(body.X + body.Width / 2, body.Y + body.Height * 0.8f, 0, -300);

        await ui.Page.WaitForFunctionAsync(
            "document.querySelector(\".card[data-depth='0'] .card-body\").scrollTop > 100"
        );
        Assert.True(
            await ui.Page.Locator(".sheet").IsHiddenAsync(),
            "a vertical swipe on a long body scrolls; it does not request changes"
        );

        await ui.TouchSwipeAsync(body.X + body.Width * 0.7f, body.Y + body.Height / 2, -220, 6);
        var done = await ui.WaitForStatusAsync(run, "succeeded", "failed", "rejected");
        Assert.Equal("rejected", done.GetProperty("status").GetString());
    }
}
