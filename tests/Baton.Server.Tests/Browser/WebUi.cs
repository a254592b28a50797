using System.Text.Json;
using Baton.Server.Auth;
using Microsoft.Playwright;

namespace Baton.Server.Tests.Browser;

/// <summary>A test's own server, a token in workspace "team", and a fresh browser context on it.</summary>
public sealed class WebUi : IAsyncDisposable
{
    public const string Workspace = "team";
    private const float Timeout = 30_000;

    private WebUi(TestServer server, IBrowserContext context, IPage page, string token, string tokenId)
    {
        Server = server;
        Context = context;
        Page = page;
        Token = token;
        TokenId = tokenId;
        Api = server.Client(token);
        // Script errors and CSP refusals fail the test (a failed fetch, e.g. the 401 before logging in, does not).
        page.PageError += (_, error) => Errors.Add(error);
        page.Console += (_, message) =>
        {
            if (
                message.Type == "error"
                && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal)
            )
                Errors.Add(message.Text);
            if (Environment.GetEnvironmentVariable("BATON_UI_DEBUG") is not null)
                Console.WriteLine($"console {message.Type}: {message.Text} @ {message.Location}");
        };
    }

    public List<string> Errors { get; } = [];

    public TestServer Server { get; }
    public IBrowserContext Context { get; }
    public IPage Page { get; }
    public string Token { get; }
    public string TokenId { get; }
    public HttpClient Api { get; }

    public static async Task<WebUi> StartAsync(
        Chromium chromium,
        Role role = Role.Editor,
        int width = 1280,
        int height = 860
    )
    {
        var server = await TestServer.StartAsync();
        if (!server.Data.WorkspaceExists(Workspace))
            server.Data.CreateWorkspace(Workspace);
        var (token, record) = server.Tokens.Create(Workspace, role, $"{Roles.Name(role)}@{Workspace}");
        var context = await chromium.Browser.NewContextAsync(
            new()
            {
                BaseURL = server.Url,
                ViewportSize = new() { Width = width, Height = height },
                HasTouch = width < 600,
                IsMobile = width < 600,
                ReducedMotion = ReducedMotion.NoPreference,
            }
        );
        context.SetDefaultTimeout(Timeout);
        var page = await context.NewPageAsync();
        return new WebUi(server, context, page, token, record.Id);
    }

    /// <summary>Logs in through the one-time login link, as `baton serve` prints it.</summary>
    public async Task LogInWithCodeAsync(string hash = "")
    {
        var code = Server.Sessions.CreateLoginCode(TokenId, TimeSpan.FromMinutes(5));
        await Page.GotoAsync($"/login?code={Uri.EscapeDataString(code)}");
        await Page.Locator("#topbar").WaitForAsync();
        if (hash.Length > 0)
            await Page.GotoAsync("/" + hash);
    }

    public async Task PutChainAsync(string name, string yaml)
    {
        var response = await Api.PutAsync($"/api/workspaces/{Workspace}/chains/{name}", TestServer.Yaml(yaml));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    public async Task<string> StartRunAsync(string chain)
    {
        var response = await Api.PostAsync(
            $"/api/workspaces/{Workspace}/runs",
            TestServer.Json(new { chain, inputs = new Dictionary<string, string>() })
        );
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await TestServer.ReadJson(response)).GetProperty("id").GetString()!;
    }

    public Task<JsonElement> WaitForStatusAsync(string run, params string[] statuses) =>
        TestServer.WaitForStatus(Api, Workspace, run, statuses);

    public Task<string> OutputAsync(string run, string agent) =>
        Api.GetStringAsync($"/api/workspaces/{Workspace}/runs/{run}/agents/{agent}/output");

    /// <summary>The review example (a draft, a decision on it, publish) running and waiting for the reviewer.</summary>
    public async Task<string> WaitingReviewAsync()
    {
        await PutChainAsync("review", await File.ReadAllTextAsync(RepoFile("examples/review.yaml")));
        var run = await StartRunAsync("review");
        await WaitForStatusAsync(run, "waiting");
        return run;
    }

    public const string LongReviewChain = """
        name: long
        agents:
          draft:
            run: |
              for i in $(seq 1 150); do echo "line $i of a long draft"; done
          review:
            decision:
              show: |
                {{ agents.draft.output }}
        """;

    /// <summary>A chain whose decision shows 150 lines (the card's body scrolls), running and waiting.</summary>
    public async Task<string> WaitingLongReviewAsync()
    {
        await PutChainAsync("long", LongReviewChain);
        var run = await StartRunAsync("long");
        await WaitForStatusAsync(run, "waiting");
        return run;
    }

    /// <summary>Drags the top card of the inbox by (dx, dy) with the mouse, in small steps, as a person would.</summary>
    public async Task DragTopCardAsync(float dx, float dy)
    {
        var card = ReadyTopCard;
        await card.WaitForAsync();
        var box = await card.BoundingBoxAsync() ?? throw new InvalidOperationException("the top card is not laid out");
        var (x, y) = (box.X + box.Width / 2, box.Y + box.Height / 2);
        await Page.Mouse.MoveAsync(x, y);
        await Page.Mouse.DownAsync();
        await Page.Mouse.MoveAsync(x + dx / 4, y + dy / 4, new() { Steps = 4 });
        await Page.Mouse.MoveAsync(x + dx, y + dy, new() { Steps = 8 });
        await Page.Mouse.UpAsync();
    }

    /// <summary>
    /// A real touch swipe (CDP Input.dispatchTouchEvent, see RECIPES.md): the browser's own gesture handling
    /// (touch-action, scrollable ancestors, pointercancel) only happens with touch events, not with a mouse.
    /// </summary>
    public async Task TouchSwipeAsync(float x, float y, float dx, float dy, int steps = 10)
    {
        var cdp = await Context.NewCDPSessionAsync(Page);
        static Dictionary<string, object> Touch(string type, params (float X, float Y)[] points) =>
            new()
            {
                ["type"] = type,
                ["touchPoints"] = points
                    .Select(p => new Dictionary<string, object> { ["x"] = p.X, ["y"] = p.Y })
                    .ToArray(),
            };
        await cdp.SendAsync("Input.dispatchTouchEvent", Touch("touchStart", (x, y)));
        for (var i = 1; i <= steps; i++)
            await cdp.SendAsync(
                "Input.dispatchTouchEvent",
                Touch("touchMove", (x + dx * i / steps, y + dy * i / steps))
            );
        await cdp.SendAsync("Input.dispatchTouchEvent", Touch("touchEnd"));
        await cdp.DetachAsync();
    }

    public ILocator TopCard => Page.Locator(".stack .card[data-depth='0']");

    /// <summary>The top card once it takes input (it ignores input for a moment after it comes up).</summary>
    public ILocator ReadyTopCard => Page.Locator(".stack .card[data-depth='0'][data-ready]");

    /// <summary>Screenshots for a person judging the design; only when BATON_UI_SCREENSHOTS names a folder.</summary>
    public async Task ScreenshotAsync(string name)
    {
        if (Environment.GetEnvironmentVariable("BATON_UI_SCREENSHOTS") is not { Length: > 0 } folder)
            return;
        Directory.CreateDirectory(folder);
        await Page.ScreenshotAsync(new() { Path = Path.Combine(folder, name + ".png") });
    }

    public static string RepoFile(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Baton.slnx")))
                return Path.Combine(dir.FullName, relative);
        throw new FileNotFoundException($"no Baton.slnx above {AppContext.BaseDirectory}");
    }

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        await Context.DisposeAsync();
        await Server.DisposeAsync();
        Assert.Empty(Errors);
    }
}
