using System.Net;
using Baton.Server.Auth;
using static Baton.Server.Tests.Triggers.TriggerTestKit;

namespace Baton.Server.Tests.SubChains;

/// <summary>`chain:` agents under `baton serve`: the child is a run of the workspace like any other.</summary>
public class SubChainServerTests
{
    private const string Release = """
        name: release
        agents:
          build: { run: 'echo "built as $(id -un)"' }
          approve: { decision: { show: "ship it? {{ agents.build.output }}" } }
        """;

    private const string Parent = """
        name: parent
        agents:
          ship: { chain: release, output_from: build }
          done: { needs: [ship], run: echo shipped }
        """;

    [Fact]
    public async Task DecisionInsideTheChild_ShowsInTheInbox_IsAnsweredThere_AndTheParentFinishes()
    {
        await using var server = await TestServer.StartAsync();
        var ws = UniqueWorkspace("sub");
        using var owner = server.Client(server.Token(ws, Role.Owner));
        (
            await owner.PutAsync($"/api/workspaces/{ws}/chains/release", TestServer.Yaml(Release))
        ).EnsureSuccessStatusCode();
        (
            await owner.PutAsync($"/api/workspaces/{ws}/chains/parent", TestServer.Yaml(Parent))
        ).EnsureSuccessStatusCode();

        var start = await owner.PostAsync($"/api/workspaces/{ws}/runs", TestServer.Json(new { chain = "parent" }));
        var parent = (await TestServer.ReadJson(start)).GetProperty("id").GetString()!;
        var child = (await WaitForRuns(owner, ws, 2)).Single(r => r != parent);
        await TestServer.WaitForStatus(owner, ws, child, "waiting");

        var started = await RunStarted(owner, ws, child);
        Assert.Equal(parent, started.GetProperty("parent").GetProperty("run").GetString());
        Assert.Equal("ship", started.GetProperty("parent").GetProperty("agent").GetString());
        var decided = await TestServer.Decide(owner, ws, child, "approve", "approve");
        Assert.True(decided.IsSuccessStatusCode, await decided.Content.ReadAsStringAsync());

        await TestServer.WaitForStatus(owner, ws, parent, "succeeded");
        await TestServer.WaitForStatus(owner, ws, child, "succeeded");
        var output = await owner.GetStringAsync($"/api/workspaces/{ws}/runs/{parent}/agents/ship/output");
        Assert.StartsWith("built as ", output);
        Assert.Equal(2, (await RunIds(owner, ws)).Count);
    }

    [Fact]
    public async Task CancelOfTheParent_CancelsTheChild()
    {
        await using var server = await TestServer.StartAsync();
        var ws = UniqueWorkspace("subc");
        using var owner = server.Client(server.Token(ws, Role.Owner));
        (
            await owner.PutAsync(
                $"/api/workspaces/{ws}/chains/slow",
                TestServer.Yaml("name: slow\nagents:\n  sleeper: { run: 'exec sleep 300' }\n")
            )
        ).EnsureSuccessStatusCode();
        (
            await owner.PutAsync(
                $"/api/workspaces/{ws}/chains/parent",
                TestServer.Yaml("name: parent\nagents:\n  sub: { chain: slow }\n")
            )
        ).EnsureSuccessStatusCode();
        var start = await owner.PostAsync($"/api/workspaces/{ws}/runs", TestServer.Json(new { chain = "parent" }));
        var parent = (await TestServer.ReadJson(start)).GetProperty("id").GetString()!;
        var child = (await WaitForRuns(owner, ws, 2)).Single(r => r != parent);
        await TestServer.WaitForStatus(owner, ws, child, "running");

        var cancel = await owner.PostAsync($"/api/workspaces/{ws}/runs/{parent}/cancel", null);
        Assert.True(cancel.IsSuccessStatusCode, await cancel.Content.ReadAsStringAsync());

        await TestServer.WaitForStatus(owner, ws, child, "cancelled");
        await TestServer.WaitForStatus(owner, ws, parent, "cancelled");
    }

    [Fact]
    public async Task AChainOfAnotherWorkspace_CannotBeNamed()
    {
        await using var server = await TestServer.StartAsync();
        var mine = UniqueWorkspace("mine");
        var theirs = UniqueWorkspace("theirs");
        using var other = server.Client(server.Token(theirs, Role.Owner));
        (
            await other.PutAsync(
                $"/api/workspaces/{theirs}/chains/payroll",
                TestServer.Yaml("name: payroll\nagents:\n  pay: { run: echo paid }\n")
            )
        ).EnsureSuccessStatusCode();
        using var owner = server.Client(server.Token(mine, Role.Owner));

        foreach (var name in new[] { "payroll", $"../{theirs}/chains/payroll", $"{theirs}/payroll" })
        {
            var put = await owner.PutAsync(
                $"/api/workspaces/{mine}/chains/steal",
                TestServer.Yaml($"name: steal\nagents:\n  sub: {{ chain: \"{name}\" }}\n")
            );
            Assert.Equal(HttpStatusCode.UnprocessableEntity, put.StatusCode);
        }
        Assert.Empty(await RunIds(owner, mine));
    }
}
