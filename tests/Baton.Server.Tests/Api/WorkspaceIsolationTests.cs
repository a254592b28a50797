using System.Net;
using Baton.Server.Auth;

namespace Baton.Server.Tests.Api;

public class WorkspaceIsolationTests
{
    [Fact]
    public async Task TokenOfB_Gets404_ForEverythingOfA_AsIfItDidNotExist()
    {
        await using var server = await TestServer.StartAsync();
        using var a = server.Client(server.Token("team-a", Role.Owner));
        using var b = server.Client(server.Token("team-b", Role.Owner));
        var id = await DecisionFlowTests.StartReviewRun(a, "team-a");

        string[] ids = [id, "", "..", "%2e%2e", "../team-b", "20991231-000000-nope-abcd", "x%00y"];
        var requests = new List<(HttpMethod Method, string Path)>();
        foreach (var ws in new[] { "team-a", "no-such-ws", "..", "TEAM-A" })
        {
            requests.Add((HttpMethod.Get, $"/api/workspaces/{ws}/chains"));
            requests.Add((HttpMethod.Get, $"/api/workspaces/{ws}/chains/review"));
            requests.Add((HttpMethod.Put, $"/api/workspaces/{ws}/chains/review"));
            requests.Add((HttpMethod.Get, $"/api/workspaces/{ws}/runs"));
            requests.Add((HttpMethod.Post, $"/api/workspaces/{ws}/runs"));
            requests.Add((HttpMethod.Get, $"/api/workspaces/{ws}/decisions"));
            requests.Add((HttpMethod.Get, $"/api/workspaces/{ws}/decisions/count"));
            foreach (var run in ids)
            {
                requests.Add((HttpMethod.Get, $"/api/workspaces/{ws}/runs/{run}"));
                requests.Add((HttpMethod.Get, $"/api/workspaces/{ws}/runs/{run}/events"));
                requests.Add((HttpMethod.Get, $"/api/workspaces/{ws}/runs/{run}/agents/draft/output"));
                requests.Add((HttpMethod.Get, $"/api/workspaces/{ws}/runs/{run}/agents/draft/logs/stdout"));
                requests.Add((HttpMethod.Post, $"/api/workspaces/{ws}/runs/{run}/cancel"));
                requests.Add((HttpMethod.Post, $"/api/workspaces/{ws}/runs/{run}/decisions/review"));
            }
        }

        foreach (var (method, path) in requests)
        {
            using var request = new HttpRequestMessage(method, path);
            if (method != HttpMethod.Get)
                request.Content =
                    path.EndsWith("/review", StringComparison.Ordinal) && method == HttpMethod.Put
                        ? TestServer.Yaml(DecisionFlowTests.ReviewChain)
                        : TestServer.Json(new { chain = "review", decision = "approve" });
            var answer = await b.SendAsync(request);
            // Kestrel itself turns away a NUL in a path (400) before any route sees it.
            var expected = path.Contains("%00", StringComparison.Ordinal)
                ? answer.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest
                : answer.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed;
            Assert.True(expected, $"{method} {path}: {answer.StatusCode}");
            Assert.DoesNotContain(id, await answer.Content.ReadAsStringAsync());
        }

        // A's run is untouched, still waiting for A's reviewer.
        await TestServer.WaitForStatus(a, "team-a", id, "waiting");
        var workspaces = await TestServer.ReadJson(await b.GetAsync("/api/workspaces"));
        Assert.Equal(["team-b"], workspaces.EnumerateArray().Select(w => w.GetProperty("name").GetString()));
    }
}
