using System.Net;
using System.Text.RegularExpressions;

namespace Baton.Server.Tests.Api;

/// <summary>A newcomer's first hour on the server (docs/getting-started.md): the login link, then a first chain to run.</summary>
public sealed class FirstStartTests
{
    [Fact]
    public async Task FirstStart_LoginLink_ThenTheExampleChainRunsFromTheWebUisSession()
    {
        await using var server = await TestServer.StartAsync();
        var lines = server.Bootstrap();
        var link = lines
            .Select(l => Regex.Match(l, @"(http://\S+/login\?code=\S+)"))
            .Single(m => m.Success)
            .Groups[1]
            .Value;
        Assert.Contains(lines, l => l.Contains("example chain", StringComparison.Ordinal));

        using var browser = new HttpClient(
            new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }
        )
        {
            BaseAddress = new Uri(server.Url),
        };
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync(link)).StatusCode);
        var session = await TestServer.ReadJson(await browser.GetAsync("/api/session"));
        browser.DefaultRequestHeaders.Add("X-CSRF-Token", session.GetProperty("csrf").GetString());

        // The first screen offers a chain to start: the default workspace is not empty (the web UI can't make chains).
        var chains = await TestServer.ReadJson(await browser.GetAsync("/api/workspaces/default/chains"));
        Assert.Equal("hello", chains[0].GetProperty("name").GetString());
        var started = await browser.PostAsync(
            "/api/workspaces/default/runs",
            TestServer.Json(new { chain = "hello", inputs = new { name = "newcomer" } })
        );
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        var id = (await TestServer.ReadJson(started)).GetProperty("id").GetString()!;
        await TestServer.WaitForStatus(browser, "default", id, "succeeded");
        var report = await browser.GetStringAsync($"/api/workspaces/default/runs/{id}/agents/report/output");
        Assert.Equal("Hello, newcomer! (8 letters)", report.Trim());
    }
}
