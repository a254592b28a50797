using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Baton.Server.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class PhoneTests(Chromium chromium)
{
    static PhoneTests() => SetDefaultExpectTimeout(30_000);

    [Fact]
    public async Task Inbox_FitsAPhone()
    {
        await using var ui = await WebUi.StartAsync(chromium, width: 390, height: 844);
        await ui.WaitingReviewAsync();
        await ui.LogInWithCodeAsync("#/inbox");

        await Expect(ui.TopCard).ToContainTextAsync("Please review this draft");
        foreach (
            var element in new[]
            {
                ui.TopCard,
                ui.Page.GetByRole(AriaRole.Button, new() { Name = "Approve" }),
                ui.Page.GetByRole(AriaRole.Button, new() { Name = "Reject" }),
            }
        )
        {
            var box = await element.BoundingBoxAsync() ?? throw new InvalidOperationException("not laid out");
            Assert.InRange(box.X, 0, 390);
            Assert.InRange(box.Y, 0, 844);
            Assert.InRange(box.X + box.Width, 0, 390);
            Assert.InRange(box.Y + box.Height, 0, 844);
        }
        Assert.True(
            await ui.Page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= innerWidth"),
            "the page scrolls sideways"
        );
        await ui.ScreenshotAsync("inbox-phone");

        // Mid-drag: the card follows the finger, tilts and shows its stamp; let go short of the threshold and it springs back.
        var start = await ui.TopCard.BoundingBoxAsync() ?? throw new InvalidOperationException("not laid out");
        await ui.Page.Mouse.MoveAsync(start.X + start.Width / 2, start.Y + start.Height / 2);
        await ui.Page.Mouse.DownAsync();
        await ui.Page.Mouse.MoveAsync(
            start.X + start.Width / 2 + 90,
            start.Y + start.Height / 2 + 20,
            new() { Steps = 6 }
        );
        await Expect(ui.TopCard).ToHaveAttributeAsync("data-hint", "right");
        await ui.ScreenshotAsync("inbox-phone-dragging");
        await ui.Page.Mouse.MoveAsync(start.X + start.Width / 2 + 10, start.Y + start.Height / 2, new() { Steps = 3 });
        await ui.Page.Mouse.UpAsync();
        await Expect(ui.TopCard).Not.ToHaveAttributeAsync("data-hint", "right");
    }
}
