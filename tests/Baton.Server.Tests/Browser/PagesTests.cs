using Baton.Server.Auth;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Baton.Server.Tests.Browser;

/// <summary>The chains, costs and workspace pages.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PagesTests(Chromium chromium)
{
    static PagesTests() => SetDefaultExpectTimeout(30_000);

    [Fact]
    public async Task ChainEdit_WithAnError_ShowsItAtItsLine_ThenSaves()
    {
        await using var ui = await WebUi.StartAsync(chromium);
        await ui.LogInWithCodeAsync("#/chains/new");

        await ui.Page.Locator("#chain-name").FillAsync("fresh");
        var editor = ui.Page.Locator("#chain-yaml .cm-content");
        await editor.ClickAsync();
        await ui.Page.Keyboard.PressAsync("Control+a");
        await ui.Page.Keyboard.PressAsync("Delete");
        // CodeMirror indents new lines itself; type each line from its first column.
        await editor.FillAsync("name: fresh\nagents:\n  a:\n    run: echo hi\n    nedds: []\n");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Create chain" }).ClickAsync();

        await Expect(ui.Page.Locator(".chain-errors li")).ToContainTextAsync("chains/fresh.yaml:5:5");
        await Expect(ui.Page.Locator(".chain-errors li")).ToContainTextAsync("did you mean 'needs'");
        // Marked in the editor at line 5: the line's gutter has the error marker, the text is underlined.
        await Expect(ui.Page.Locator("#chain-yaml .cm-lint-marker-error")).ToHaveCountAsync(1);
        await Expect(ui.Page.Locator("#chain-yaml .cm-lintRange-error")).ToHaveTextAsync("nedds: []");
        await ui.ScreenshotAsync("chain-error");

        await ui.Page.Locator(".chain-errors li button").ClickAsync(); // puts the cursor on the error
        await ui.Page.Keyboard.PressAsync("Shift+End");
        await ui.Page.Keyboard.PressAsync("Delete");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Create chain" }).ClickAsync();
        await Expect(ui.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("#/chains/fresh$"));
        Assert.Contains("run: echo hi", await ui.Api.GetStringAsync($"/api/workspaces/{WebUi.Workspace}/chains/fresh"));
    }

    [Fact]
    public async Task PromptFile_Uploaded_ThenAChainUsingItRuns()
    {
        await using var ui = await WebUi.StartAsync(chromium);
        await ui.LogInWithCodeAsync("#/chains");
        await Expect(ui.Page.Locator(".chain-list .empty")).ToContainTextAsync("No chains yet");

        await ui
            .Page.Locator("#prompt-upload")
            .SetInputFilesAsync(
                new FilePayload
                {
                    Name = "greet.md",
                    MimeType = "text/markdown",
                    Buffer = "Say hello to {{ inputs.who }}"u8.ToArray(),
                }
            );
        await Expect(ui.Page.Locator(".prompt-row[data-prompt='greet.md']")).ToContainTextAsync("../prompts/greet.md");

        await ui.PutChainAsync(
            "hello",
            """
            name: hello
            inputs:
              who:
                default: Ada
            agents:
              greet:
                prompt: ../prompts/greet.md
                model: offline
            """
        );
        await ui.Page.ReloadAsync();
        await ui.Page.Locator(".chain-row[data-chain='hello']").WaitForAsync();
        await ui.Page.GotoAsync("/#/runs");
        await ui.Page.GetByText("Start a run…").ClickAsync();
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Start run" }).ClickAsync();
        await Expect(ui.Page.Locator(".run-status .badge")).ToHaveTextAsync("succeeded");
        await ui.Page.Locator(".agent[data-agent='greet'] .lazy-output > summary").ClickAsync();
        await Expect(ui.Page.Locator(".agent[data-agent='greet'] .text-output")).ToContainTextAsync("[offline]");
    }

    [Fact]
    public async Task Costs_ChartsRender_WithCallsToAFakeOpenAiServer()
    {
        await using var fake = new FakeOpenAi();
        await using var ui = await WebUi.StartAsync(chromium, Role.Owner);
        Assert.True(
            (
                await ui.Api.PutAsync(
                    $"/api/workspaces/{WebUi.Workspace}/secrets/FAKE_KEY",
                    new StringContent("sk-fake")
                )
            ).IsSuccessStatusCode
        );
        var config = await ui.Api.PutAsync(
            $"/api/workspaces/{WebUi.Workspace}/config",
            TestServer.Yaml(
                $"""
                providers:
                  fake:
                    type: openai
                    base_url: {fake.BaseUrl}
                    api_key: ${"{"}secret:FAKE_KEY{"}"}
                    model: gpt-4o-mini
                    stream: false
                """
            )
        );
        Assert.True(config.IsSuccessStatusCode, await config.Content.ReadAsStringAsync());
        await ui.PutChainAsync(
            "ask",
            """
            name: ask
            agents:
              ask:
                prompt: Say hello
                model: fake
            """
        );
        var run = await ui.StartRunAsync("ask");
        Assert.Equal(
            "succeeded",
            (await ui.WaitForStatusAsync(run, "succeeded", "failed")).GetProperty("status").GetString()
        );
        Assert.Equal(1, fake.Calls);

        await ui.LogInWithCodeAsync("#/costs");
        var model = ui.Page.Locator(".cost-panel[data-by='model']");
        await Expect(model.Locator("table")).ToContainTextAsync("gpt-4o-mini");
        await Expect(model.Locator("table")).ToContainTextAsync("1,200 / 300");
        await Expect(ui.Page.Locator(".cost-panel canvas")).ToHaveCountAsync(4);
        // Chart.js drew bars: the canvas has painted pixels.
        Assert.True(
            await model
                .Locator("canvas")
                .EvaluateAsync<bool>(
                    "c => c.getContext('2d').getImageData(0, 0, c.width, c.height).data.some((v, i) => i % 4 === 3 && v > 0)"
                )
        );
        await ui.ScreenshotAsync("costs");

        await ui.Page.GotoAsync($"/#/runs/{run}");
        await Expect(ui.Page.Locator(".agent[data-agent='ask'] .agent-usage"))
            .ToContainTextAsync("gpt-4o-mini · 1 call · 1,200 in / 300 out tokens");
    }

    [Fact]
    public async Task Workspace_SecretsTokensAudit_ForOwners()
    {
        await using var ui = await WebUi.StartAsync(chromium, Role.Owner);
        await ui.LogInWithCodeAsync("#/admin");

        await ui.Page.Locator("#secret-name").FillAsync("API_KEY");
        await ui.Page.Locator("#secret-value").FillAsync("s3cret-value");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Set secret" }).ClickAsync();
        await Expect(ui.Page.Locator("#secret-list li[data-secret='API_KEY']")).ToBeVisibleAsync();
        await Expect(ui.Page.Locator("#secret-value")).ToHaveValueAsync("");

        await ui.Page.Locator("#token-name").FillAsync("ci bot");
        await ui.Page.Locator("#token-role").SelectOptionAsync("viewer");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Create token" }).ClickAsync();
        var token = await ui.Page.Locator(".token-value").TextContentAsync() ?? "";
        Assert.StartsWith("bt_", token);
        var revoke = ui.Page.GetByRole(AriaRole.Button, new() { Name = "Revoke ci bot" });
        await revoke.ClickAsync();
        await revoke.ClickAsync();
        await Expect(ui.Page.Locator("#token-list")).Not.ToContainTextAsync("ci bot");
        using var bot = ui.Server.Client(token);
        Assert.Equal(
            System.Net.HttpStatusCode.Unauthorized,
            (await bot.GetAsync($"/api/workspaces/{WebUi.Workspace}/runs")).StatusCode
        );

        await Expect(ui.Page.Locator(".audit-table")).ToContainTextAsync("secret.set");
        await Expect(ui.Page.Locator(".audit-table")).ToContainTextAsync("token.revoke");
        Assert.DoesNotContain("s3cret-value", await ui.Page.ContentAsync());
    }
}
