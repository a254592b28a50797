using System.Net;
using System.Text.Json;
using Baton.Server.Auth;

namespace Baton.Server.Tests.Api;

public class RunsListTests
{
    [Fact]
    public async Task Paging_AndFilters_ByChainTextStatusDate()
    {
        await using var server = await TestServer.StartAsync();
        using var owner = server.Client(server.Token("default", Role.Owner));
        await owner.PutAsync(
            "/api/workspaces/default/chains/alpha",
            TestServer.Yaml("name: alpha\nagents:\n  a:\n    run: echo ok\n")
        );
        await owner.PutAsync(
            "/api/workspaces/default/chains/beta",
            TestServer.Yaml("name: beta\nagents:\n  b:\n    run: exit 3\n")
        );
        var ids = new List<string>();
        foreach (var chain in new[] { "alpha", "alpha", "alpha", "beta", "beta" })
        {
            var id = (
                await TestServer.ReadJson(
                    await owner.PostAsync("/api/workspaces/default/runs", TestServer.Json(new { chain }))
                )
            )
                .GetProperty("id")
                .GetString()!;
            await TestServer.WaitForStatus(owner, "default", id, "succeeded", "failed");
            ids.Add(id);
        }
        async Task<List<string>> List(string query) =>
            (await TestServer.ReadJson(await owner.GetAsync("/api/workspaces/default/runs" + query)))
                .EnumerateArray()
                .Select(r => r.GetProperty("id").GetString()!)
                .ToList();

        var newestFirst = ids.OrderDescending(StringComparer.Ordinal).ToList();
        Assert.Equal(newestFirst, await List(""));
        var page1 = await List("?limit=2");
        var page2 = await List($"?limit=2&before={page1[^1]}");
        var page3 = await List($"?limit=2&before={page2[^1]}");
        Assert.Equal(newestFirst, page1.Concat(page2).Concat(page3).ToList());
        Assert.Single(page3);

        Assert.Equal(2, (await List("?chain=beta")).Count);
        Assert.Equal(2, (await List("?status=failed")).Count);
        Assert.Equal(3, (await List("?q=ALPH")).Count);
        Assert.Equal([ids[2]], await List($"?q={ids[2][^4..]}"));
        var today = ids[0][..8];
        var day = $"{today[..4]}-{today[4..6]}-{today[6..8]}";
        Assert.Equal(5, (await List($"?from={day}&to={day}")).Count);
        Assert.Empty(await List("?from=2999-01-01"));

        foreach (var bad in new[] { "?limit=0", "?before=../x", "?from=yesterday" })
        {
            var answer = await owner.GetAsync("/api/workspaces/default/runs" + bad);
            Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
            Assert.Contains("'", (await TestServer.ReadJson(answer)).GetProperty("detail").GetString());
        }
    }
}
