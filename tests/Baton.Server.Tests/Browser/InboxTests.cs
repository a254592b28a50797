using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Baton.Server.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class InboxTests(Chromium chromium)
{
    static InboxTests() => SetDefaultExpectTimeout(30_000);

    [Fact]
    public async Task DragRight_Approves_RunSucceeds()
    {
        await using var ui = await WebUi.StartAsync(chromium);
        var run = await ui.WaitingReviewAsync();
        await ui.LogInWithCodeAsync("#/inbox");

        await Expect(ui.TopCard).ToContainTextAsync("Please review this draft");
        await Expect(ui.TopCard.Locator(".card-chain")).ToHaveTextAsync("review");
        await Expect(ui.TopCard.Locator(".card-agent")).ToHaveTextAsync("review");
        await Expect(ui.TopCard.Locator(".card-round")).ToHaveTextAsync("round 1 of 3");
        await ui.DragTopCardAsync(320, 10);

        var done = await ui.WaitForStatusAsync(run, "succeeded", "failed", "rejected");
        Assert.Equal("succeeded", done.GetProperty("status").GetString());
        await Expect(ui.Page.Locator(".inbox-empty")).ToContainTextAsync("Nothing waits for you");

        await ui.Page.GotoAsync($"/#/runs/{run}");
        await Expect(ui.Page.Locator(".event[data-type='run.finished']")).ToBeVisibleAsync();
        await ui.Page.Locator(".agent[data-agent='draft'] .lazy-output > summary").ClickAsync();
        await Expect(ui.Page.Locator(".agent[data-agent='draft'] .text-output"))
            .ToContainTextAsync("Draft about event files");
        await ui.ScreenshotAsync("run-detail-desktop");
    }

    [Fact]
    public async Task ShortDrag_SpringsBack_NothingDecided()
    {
        await using var ui = await WebUi.StartAsync(chromium);
        var run = await ui.WaitingReviewAsync();
        await ui.LogInWithCodeAsync("#/inbox");

        await ui.DragTopCardAsync(25, 0);
        await ui.DragTopCardAsync(0, 200); // down means nothing
        await Expect(ui.TopCard).ToHaveAttributeAsync("data-run", run);
        Assert.Equal("waiting", (await ui.WaitForStatusAsync(run, "waiting")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task DragUp_WithComment_RerunsDraft_NextRoundShowsDiff()
    {
        await using var ui = await WebUi.StartAsync(chromium);
        var run = await ui.WaitingReviewAsync();
        await ui.LogInWithCodeAsync("#/inbox");

        await ui.DragTopCardAsync(0, -300);
        var comment = ui.Page.Locator("#comment");
        await Expect(comment).ToBeFocusedAsync();
        var send = ui.Page.GetByRole(AriaRole.Button, new() { Name = "Send changes" });
        await Expect(send).ToBeDisabledAsync(); // the comment is required
        await comment.FillAsync("mention the inbox folder");
        await send.ClickAsync();

        var round2 = ui.Page.Locator(".stack .card[data-depth='0'][data-round='2']");
        await Expect(round2.Locator(".card-round")).ToHaveTextAsync("round 2 of 3");
        await Expect(round2.Locator(".card-comment")).ToContainTextAsync("mention the inbox folder");
        await Expect(round2.Locator(".diff-del")).ToContainTextAsync("(attempt 1)");
        await Expect(round2.Locator(".diff-add").First).ToContainTextAsync("(attempt 2)");
        await Expect(round2.Locator(".diff-add").Last).ToContainTextAsync("addressed: mention the inbox folder");
        Assert.Contains("addressed: mention the inbox folder", await ui.OutputAsync(run, "draft"));
        await ui.ScreenshotAsync("inbox-round2-desktop");
    }

    [Fact]
    public async Task ArrowLeft_Rejects()
    {
        await using var ui = await WebUi.StartAsync(chromium);
        var run = await ui.WaitingReviewAsync();
        await ui.LogInWithCodeAsync("#/inbox");

        await Expect(ui.ReadyTopCard).ToHaveAttributeAsync("data-run", run);
        await ui.Page.Keyboard.PressAsync("ArrowLeft");

        var done = await ui.WaitForStatusAsync(run, "succeeded", "failed", "rejected");
        Assert.Equal("rejected", done.GetProperty("status").GetString());
    }

    [Fact]
    public async Task DecidedElsewhere_SaysSo_AndMovesOn()
    {
        await using var ui = await WebUi.StartAsync(chromium);
        var runs = new[] { await ui.WaitingReviewAsync(), await ui.StartRunAsync("review") };
        await ui.WaitForStatusAsync(runs[1], "waiting");
        await ui.LogInWithCodeAsync("#/inbox");
        await Expect(ui.Page.Locator(".inbox-counter")).ToHaveTextAsync("2 waiting");
        var first = await ui.ReadyTopCard.GetAttributeAsync("data-run") ?? ""; // runs started in the same second sort either way
        var second = runs.Single(r => r != first);

        // Someone else approves the top card while it is on screen.
        var other = await TestServer.Decide(ui.Api, WebUi.Workspace, first, "review", "approve");
        Assert.True(other.IsSuccessStatusCode);
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Reject" }).ClickAsync();

        await Expect(ui.Page.Locator(".toast")).ToContainTextAsync("Already decided by someone else");
        await Expect(ui.TopCard).ToHaveAttributeAsync("data-run", second);
        Assert.Equal(
            "succeeded",
            (await ui.WaitForStatusAsync(first, "succeeded", "rejected")).GetProperty("status").GetString()
        );
    }

    [Fact]
    public async Task TheNavigationBadge_CountsTheWaitingDecisions_OnEveryPage()
    {
        await using var ui = await WebUi.StartAsync(chromium);
        var first = await ui.WaitingReviewAsync();
        var second = await ui.StartRunAsync("review");
        await ui.WaitForStatusAsync(second, "waiting");
        await ui.LogInWithCodeAsync("#/runs");
        var badge = ui.Page.Locator("#inbox-count");

        await Expect(badge).ToBeVisibleAsync();
        await Expect(badge).ToHaveTextAsync("2");

        // Decided elsewhere (another reviewer, the API): the next page shown asks again.
        Assert.True((await TestServer.Decide(ui.Api, WebUi.Workspace, first, "review", "approve")).IsSuccessStatusCode);
        await ui.Page.GotoAsync("/#/chains");
        await Expect(badge).ToHaveTextAsync("1");
        Assert.True(
            (await TestServer.Decide(ui.Api, WebUi.Workspace, second, "review", "reject", "no")).IsSuccessStatusCode
        );
        await ui.Page.GotoAsync("/#/runs");
        await Expect(badge).ToBeHiddenAsync();
    }
}
