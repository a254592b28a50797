using Baton.Server.Auth;
using static Baton.Server.Tests.Triggers.TriggerTestKit;

namespace Baton.Server.Tests.Triggers;

public class AfterTriggerTests
{
    private static string Follower(string name, string after, string status) =>
        $$$"""
            name: {{{name}}}
            inputs:
              build_run:
              artifact: { default: none }
            triggers:
              - after: {{{after}}}
                status: {{{status}}}
                inputs:
                  build_run: "{{ after.run_id }}"
                  artifact: "{{ after.outputs.pack }} ({{ after.status }})"
            agents:
              a: { run: "true" }
            """;

    private static async Task<(string Chain, string Trigger, string Inputs)> Describe(
        TestServer server,
        HttpClient client,
        string ws,
        string run
    )
    {
        var summary = await TestServer.ReadJson(await client.GetAsync($"/api/workspaces/{ws}/runs/{run}"));
        var trigger = (await RunStarted(client, ws, run)).TryGetProperty("trigger", out var t) ? t.GetString()! : "";
        var inputs = await File.ReadAllTextAsync(
            Path.Combine(server.Data.WorkspacePath(ws), "runs", run, "inputs.json")
        );
        return (summary.GetProperty("chain").GetString()!, trigger, inputs);
    }

    [Fact]
    public async Task FinishedRun_StartsTheChainsWaitingForItsStatus_WithItsIdAndOutputs()
    {
        await using var server = await TestServer.StartAsync();
        var ws = UniqueWorkspace("after");
        using var client = server.Client(server.Token(ws, Role.Owner));
        var build = """
            name: build
            inputs:
              fail: { default: "no" }
            agents:
              pack:
                run: |
                  [ "$BATON_INPUT_FAIL" = no ] || exit 3
                  echo artifact-42
            """;
        foreach (
            var (name, yaml) in new[]
            {
                ("build", build),
                ("alert", Follower("alert", "build", "failed")),
                ("audit", Follower("audit", "build", "any")),
                ("deploy", Follower("deploy", "build", "succeeded")),
            }
        )
            (
                await client.PutAsync($"/api/workspaces/{ws}/chains/{name}", TestServer.Yaml(yaml))
            ).EnsureSuccessStatusCode();

        var start = await client.PostAsync($"/api/workspaces/{ws}/runs", TestServer.Json(new { chain = "build" }));
        var buildRun = (await TestServer.ReadJson(start)).GetProperty("id").GetString()!;
        // One finish starts its followers in the chains' order (alert, audit, deploy): once deploy's run is
        // there, an alert run would be too.
        var runs = await WaitForRuns(client, ws, 3);
        var followers = new List<(string Chain, string Trigger, string Inputs)>();
        foreach (var run in runs.Where(r => r != buildRun))
            followers.Add(await Describe(server, client, ws, run));

        Assert.Equal(["audit", "deploy"], followers.Select(f => f.Chain).Order().ToArray());
        var deploy = followers.Single(f => f.Chain == "deploy");
        Assert.Equal($"after build run {buildRun} succeeded", deploy.Trigger);
        Assert.Contains($"\"build_run\": \"{buildRun}\"", deploy.Inputs);
        Assert.Contains("\"artifact\": \"artifact-42\\n (succeeded)\"", deploy.Inputs);

        var failing = await client.PostAsync(
            $"/api/workspaces/{ws}/runs",
            TestServer.Json(new { chain = "build", inputs = new Dictionary<string, string> { ["fail"] = "yes" } })
        );
        var failedRun = (await TestServer.ReadJson(failing)).GetProperty("id").GetString()!;
        runs = await WaitForRuns(client, ws, 6);
        var afterFailure = new List<string>();
        foreach (var run in runs)
        {
            var (chain, trigger, _) = await Describe(server, client, ws, run);
            if (trigger.Contains(failedRun, StringComparison.Ordinal))
                afterFailure.Add(chain);
        }
        Assert.Equal(["alert", "audit"], afterFailure.Order().ToArray());
    }

    [Fact]
    public async Task ChainsStartingEachOtherInACycle_AreNotStarted()
    {
        await using var server = await TestServer.StartAsync();
        var ws = UniqueWorkspace("cycle");
        using var client = server.Client(server.Token(ws, Role.Owner));
        foreach (
            var (name, yaml) in new[]
            {
                ("ping", Follower("ping", "pong", "any")),
                ("pong", Follower("pong", "ping", "any")),
                ("witness", Follower("witness", "ping", "any")), // after pong in order, not on the cycle
            }
        )
            (
                await client.PutAsync($"/api/workspaces/{ws}/chains/{name}", TestServer.Yaml(yaml))
            ).EnsureSuccessStatusCode();

        var start = await client.PostAsync(
            $"/api/workspaces/{ws}/runs",
            TestServer.Json(
                new { chain = "ping", inputs = new Dictionary<string, string> { ["build_run"] = "by hand" } }
            )
        );
        start.EnsureSuccessStatusCode();
        var runs = await WaitForRuns(client, ws, 2);

        var chains = new List<string>();
        foreach (var run in runs)
            chains.Add((await Describe(server, client, ws, run)).Chain);
        Assert.Equal(["ping", "witness"], chains.Order().ToArray());
    }

    [Fact]
    public async Task ChainAddedOrEditedAfterTheIndexWasKept_IsSeenByTheNextFinishedRun()
    {
        // The server keeps which chains an after: trigger names until chains/ changes (docs/performance.md): a
        // chain added, and one edited in place, must both be seen. Their files are dated an hour back, so the
        // kept index is used (files changed in the last seconds are never trusted to a stamp).
        await using var server = await TestServer.StartAsync();
        var ws = UniqueWorkspace("afteridx");
        using var client = server.Client(server.Token(ws, Role.Owner));
        var chains = Path.Combine(server.Data.WorkspacePath(ws), "chains");
        async Task Put(string name, string yaml, DateTime modified)
        {
            (
                await client.PutAsync($"/api/workspaces/{ws}/chains/{name}", TestServer.Yaml(yaml))
            ).EnsureSuccessStatusCode();
            File.SetLastWriteTimeUtc(Path.Combine(chains, $"{name}.yaml"), modified);
        }
        var hourAgo = DateTime.UtcNow.AddHours(-1);
        await Put("build", "name: build\nagents:\n  pack: { run: \"true\" }\n", hourAgo);
        await Put("seed", "name: seed\nagents:\n  a: { run: \"true\" }\n", hourAgo);
        await Put("seedling", Follower("seedling", "seed", "any"), hourAgo);
        await Put("late", "name: late\ninputs:\n  build_run:\n  artifact:\nagents:\n  a: { run: \"true\" }\n", hourAgo);
        (
            await client.PostAsync($"/api/workspaces/{ws}/runs", TestServer.Json(new { chain = "seed" }))
        ).EnsureSuccessStatusCode();
        await WaitForRuns(client, ws, 2); // seed and seedling: the index is kept now, and no chain waits for build

        await Put("second", Follower("second", "build", "any"), hourAgo);
        var late = Path.Combine(chains, "late.yaml");
        await File.WriteAllTextAsync(late, Follower("late", "build", "any")); // the same file, rewritten
        File.SetLastWriteTimeUtc(late, hourAgo.AddMinutes(30));
        (
            await client.PostAsync($"/api/workspaces/{ws}/runs", TestServer.Json(new { chain = "build" }))
        ).EnsureSuccessStatusCode();
        var runs = await WaitForRuns(client, ws, 5);

        var started = new List<string>();
        foreach (var run in runs)
            started.Add((await Describe(server, client, ws, run)).Chain);
        Assert.Equal(["build", "late", "second", "seed", "seedling"], started.Order().ToArray());
    }
}
