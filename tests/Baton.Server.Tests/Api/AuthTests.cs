using System.Net;
using Baton.Server.Auth;

namespace Baton.Server.Tests.Api;

public class AuthTests
{
    [Fact]
    public async Task NoToken_Or_BadToken_Is401_ButHealthzIsOpen()
    {
        await using var server = await TestServer.StartAsync();
        server.Token("default", Role.Owner);
        using var anonymous = server.Client();
        using var forged = server.Client("bt_not-a-real-token");

        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/healthz")).StatusCode);
        foreach (var client in new[] { anonymous, forged })
        {
            foreach (
                var path in new[]
                {
                    "/api/workspaces",
                    "/api/workspaces/default/runs",
                    "/api/workspaces/default/decisions",
                    "/api/workspaces/default/decisions/count",
                    "/metrics",
                }
            )
            {
                var answer = await client.GetAsync(path);
                Assert.True(answer.StatusCode == HttpStatusCode.Unauthorized, $"{path}: {answer.StatusCode}");
            }
            Assert.Equal(
                HttpStatusCode.Unauthorized,
                (
                    await client.PostAsync("/api/workspaces/default/runs", TestServer.Json(new { chain = "x" }))
                ).StatusCode
            );
        }
    }

    [Fact]
    public async Task Viewer_CannotDecideOrStartRuns_403()
    {
        await using var server = await TestServer.StartAsync();
        using var owner = server.Client(server.Token("default", Role.Owner));
        using var viewer = server.Client(server.Token("default", Role.Viewer));
        var id = await DecisionFlowTests.StartReviewRun(owner);

        var decide = await viewer.PostAsync(
            $"/api/workspaces/default/runs/{id}/decisions/review",
            TestServer.Json(new { decision = "approve" })
        );
        Assert.Equal(HttpStatusCode.Forbidden, decide.StatusCode);
        Assert.Contains("reviewer", await decide.Content.ReadAsStringAsync());
        Assert.Equal(
            HttpStatusCode.Forbidden,
            (
                await viewer.PostAsync("/api/workspaces/default/runs", TestServer.Json(new { chain = "review" }))
            ).StatusCode
        );
        Assert.Equal(
            HttpStatusCode.Forbidden,
            (await viewer.PutAsync("/api/workspaces/default/chains/x", TestServer.Yaml("name: x"))).StatusCode
        );
        Assert.Equal(
            HttpStatusCode.Forbidden,
            (await viewer.PostAsync($"/api/workspaces/default/runs/{id}/cancel", null)).StatusCode
        );
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync($"/api/workspaces/default/runs/{id}")).StatusCode);
    }

    [Fact]
    public async Task CookieSession_NeedsTheCsrfHeader_ForChanges()
    {
        await using var server = await TestServer.StartAsync();
        var token = server.Token("default", Role.Owner);
        var cookies = new System.Net.CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies })
        {
            BaseAddress = new Uri(server.Url),
        };

        var login = await browser.PostAsync("/api/login", TestServer.Json(new { token }));
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var csrf = (await TestServer.ReadJson(login)).GetProperty("csrf").GetString();
        Assert.Contains(
            "HttpOnly",
            string.Join(";", login.Headers.GetValues("Set-Cookie")),
            StringComparison.OrdinalIgnoreCase
        );

        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/workspaces/default/runs")).StatusCode);
        var withoutHeader = await browser.PutAsync(
            "/api/workspaces/default/chains/review",
            TestServer.Yaml(DecisionFlowTests.ReviewChain)
        );
        Assert.Equal(HttpStatusCode.Unauthorized, withoutHeader.StatusCode);

        using var request = new HttpRequestMessage(HttpMethod.Put, "/api/workspaces/default/chains/review")
        {
            Content = TestServer.Yaml(DecisionFlowTests.ReviewChain),
        };
        request.Headers.Add("X-CSRF-Token", csrf);
        Assert.True((await browser.SendAsync(request)).IsSuccessStatusCode);
    }

    [Fact]
    public async Task LoginCode_WorksOnce()
    {
        await using var server = await TestServer.StartAsync();
        server.Token("default", Role.Owner);
        var record = server.Tokens.All()[0];
        var code = server.Sessions.CreateLoginCode(record.Id, TimeSpan.FromMinutes(5));
        using var browser = new HttpClient(
            new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }
        )
        {
            BaseAddress = new Uri(server.Url),
        };

        var first = await browser.GetAsync($"/login?code={Uri.EscapeDataString(code)}");
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/session")).StatusCode);

        using var other = new HttpClient(
            new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }
        )
        {
            BaseAddress = new Uri(server.Url),
        };
        await other.GetAsync($"/login?code={Uri.EscapeDataString(code)}");
        Assert.Equal(HttpStatusCode.Unauthorized, (await other.GetAsync("/api/session")).StatusCode);
    }

    [Fact]
    public async Task TokensAreStoredHashed_InAFileOnlyRootCanRead()
    {
        await using var server = await TestServer.StartAsync();
        var token = server.Token("default", Role.Owner);
        var file = server.Data.TokensFile;
        Assert.DoesNotContain(token, File.ReadAllText(file));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
    }
}
