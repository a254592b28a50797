using System.Net;
using Baton.Server.Auth;

namespace Baton.Server.Tests.Api;

public class TenancyLimitsTests
{
    // Each run's agent counts itself in and out of a shared file under an flock, recording the peak.
    private const string Counted = """
        name: counted
        agents:
          work:
            run: |
              # home/: shared by the workspace's runs and writable by its agents' user (the workspace root is not).
              mkdir -p "$BATON_RUN_DIR/../../home"; counter="$BATON_RUN_DIR/../../home/counter"
              exec 9>"$counter.lock"
              flock 9; n=$(( $(cat "$counter" 2>/dev/null || echo 0) + 1 )); echo $n > "$counter"
              peak=$(cat "$counter.peak" 2>/dev/null || echo 0); [ $n -gt $peak ] && echo $n > "$counter.peak"; flock -u 9
              sleep 0.2
              flock 9; echo $(( $(cat "$counter") - 1 )) > "$counter"; flock -u 9
        """;

    [Fact]
    public async Task FloodedWorkspace_RunsAtMostItsLimit_AndAnotherWorkspaceIsNotStarved()
    {
        await using var server = await TestServer.StartAsync();
        using var a = server.Client(server.Token("flood", Role.Owner));
        using var b = server.Client(server.Token("calm", Role.Owner));
        File.WriteAllText(
            Path.Combine(server.Data.WorkspacePath("flood"), "baton.yaml"),
            "limits:\n  max_concurrent_runs: 3\n"
        );
        await a.PutAsync("/api/workspaces/flood/chains/counted", TestServer.Yaml(Counted));
        await b.PutAsync("/api/workspaces/calm/chains/counted", TestServer.Yaml(Counted));

        var ids = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            var created = await a.PostAsync("/api/workspaces/flood/runs", TestServer.Json(new { chain = "counted" }));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            ids.Add((await TestServer.ReadJson(created)).GetProperty("id").GetString()!);
        }
        var queued = await TestServer.ReadJson(await a.GetAsync("/api/workspaces/flood/runs?status=queued"));
        Assert.NotEmpty(queued.EnumerateArray());

        var calm = (
            await TestServer.ReadJson(
                await b.PostAsync("/api/workspaces/calm/runs", TestServer.Json(new { chain = "counted" }))
            )
        )
            .GetProperty("id")
            .GetString()!;
        await TestServer.WaitForStatus(b, "calm", calm, "succeeded");
        var floodStillGoing = (await TestServer.ReadJson(await a.GetAsync("/api/workspaces/flood/runs")))
            .EnumerateArray()
            .Count(r => r.GetProperty("status").GetString() is "queued" or "running");
        Assert.True(floodStillGoing > 0, "calm's run finished only after the whole flood: it was starved");

        foreach (var id in ids)
            await TestServer.WaitForStatus(a, "flood", id, "succeeded");
        var peak = int.Parse(
            File.ReadAllText(Path.Combine(server.Data.WorkspacePath("flood"), "home", "counter.peak")).Trim()
        );
        Assert.InRange(peak, 1, 3);
    }

    [Fact]
    public async Task EnvReference_InAWorkspaceConfig_IsRefusedOnTheServer_AsSoonAsTheFileSaysSo()
    {
        await using var server = await TestServer.StartAsync();
        using var owner = server.Client(server.Token("default", Role.Owner));
        await owner.PutAsync("/api/workspaces/default/chains/counted", TestServer.Yaml(Counted));
        var config = Path.Combine(server.Data.WorkspacePath("default"), "baton.yaml");
        Assert.Equal(
            HttpStatusCode.Created,
            (
                await owner.PostAsync("/api/workspaces/default/runs", TestServer.Json(new { chain = "counted" }))
            ).StatusCode
        );

        // Edited by hand while the server runs: the next run sees it (the server keeps the parsed file only while it is unchanged).
        File.WriteAllText(
            config,
            """
            providers:
              default:
                type: openai
                api_key: ${env:PATH}
            """
        );
        var start = await owner.PostAsync("/api/workspaces/default/runs", TestServer.Json(new { chain = "counted" }));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, start.StatusCode);
        Assert.Contains("${env:PATH}", await start.Content.ReadAsStringAsync());

        File.WriteAllText(config, "limits:\n  max_concurrent_runs: 2\n");
        Assert.Equal(
            HttpStatusCode.Created,
            (
                await owner.PostAsync("/api/workspaces/default/runs", TestServer.Json(new { chain = "counted" }))
            ).StatusCode
        );
    }

    [Fact]
    public async Task CancellingAQueuedRun_DoesNotWaitForItsTurn()
    {
        await using var server = await TestServer.StartAsync();
        using var owner = server.Client(server.Token("default", Role.Owner));
        File.WriteAllText(
            Path.Combine(server.Data.WorkspacePath("default"), "baton.yaml"),
            "limits:\n  max_concurrent_runs: 1\n"
        );
        await owner.PutAsync(
            "/api/workspaces/default/chains/long",
            TestServer.Yaml("name: long\nagents:\n  wait:\n    run: sleep 300\n")
        );
        var first = (
            await TestServer.ReadJson(
                await owner.PostAsync("/api/workspaces/default/runs", TestServer.Json(new { chain = "long" }))
            )
        )
            .GetProperty("id")
            .GetString()!;
        var second = (
            await TestServer.ReadJson(
                await owner.PostAsync("/api/workspaces/default/runs", TestServer.Json(new { chain = "long" }))
            )
        )
            .GetProperty("id")
            .GetString()!;
        await TestServer.WaitForStatus(owner, "default", first, "running");
        await TestServer.WaitForStatus(owner, "default", second, "queued");

        Assert.Equal(
            HttpStatusCode.Accepted,
            (await owner.PostAsync($"/api/workspaces/default/runs/{second}/cancel", null)).StatusCode
        );
        await TestServer.WaitForStatus(owner, "default", second, "cancelled");
        await owner.PostAsync($"/api/workspaces/default/runs/{first}/cancel", null);
        await TestServer.WaitForStatus(owner, "default", first, "cancelled");
    }
}
