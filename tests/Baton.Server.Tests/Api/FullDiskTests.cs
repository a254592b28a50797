using System.Net;
using Baton.Events;
using Baton.Runs;
using Baton.Server.Auth;
using Baton.Tests;

namespace Baton.Server.Tests.Api;

/// <summary>
/// A server whose data folder is a small tmpfs that one tenant's agent fills (issue 11, item 5): no event is lost,
/// runs fail with reason `disk` (at once, or once space is freed, saying `stalled` meanwhile), other tenants get 507
/// and nothing is left behind, and a restart re-runs nothing.
/// </summary>
public sealed class FullDiskTests : IDisposable
{
    private readonly TmpfsMount _disk = new("8m", TestServer.NewDataPath());
    private readonly string _a = "disk-a-" + Guid.NewGuid().ToString("N")[..6];
    private readonly string _b = "disk-b-" + Guid.NewGuid().ToString("N")[..6];

    [Fact]
    public async Task TenantFillsTheDisk_OthersGet507_RunsFailWithReasonDisk_RestartReRunsNothing()
    {
        Assert.True(_disk.Mounted, "this test mounts a tmpfs and needs root (CI runs as root)");
        string waiterRun,
            reviewRun,
            fillRun;
        await using (var server = await TestServer.StartAsync(_disk.Path))
        {
            using var a = server.Client(server.Token(_a, Role.Owner));
            using var b = server.Client(server.Token(_b, Role.Owner));
            await Put(
                a,
                _a,
                "filler",
                """
                name: filler
                agents:
                  fill:
                    run: head -c 100000000 /dev/zero > ballast || true
                  next:
                    needs: [fill]
                    run: echo never
                """
            );
            await Put(
                b,
                _b,
                "waiter",
                """
                name: waiter
                agents:
                  wait:
                    run: while [ ! -e go ]; do sleep 0.05; done; echo done
                """
            );
            await Put(
                b,
                _b,
                "review",
                """
                name: review
                agents:
                  review:
                    decision:
                      show: ship it?
                      options: [approve, reject]
                """
            );
            reviewRun = await Start(b, _b, "review");
            await TestServer.WaitForStatus(b, _b, reviewRun, RunStatus.Waiting.Wire());
            waiterRun = await Start(b, _b, "waiter");
            await TestServer.WaitForStatus(b, _b, waiterRun, RunStatus.Running.Wire());
            // Its agent must be under way before the disk fills (a run is `running` before its agent has written
            // process.json): else the agent fails to start, with reason `io`, rather than stall at its end.
            var waiterProcess = Path.Combine(
                server.Data.WorkspacePath(_b),
                "runs",
                waiterRun,
                "agents",
                "wait",
                "process.json"
            );
            for (var i = 0; !File.Exists(waiterProcess); i++)
            {
                Assert.True(i < 600, "the waiter's agent never started");
                await Task.Delay(50);
            }
            // B's reserve was spent already (say, by an earlier full disk): its run will have to wait for space.
            var bRuns = Path.Combine(server.Data.WorkspacePath(_b), "runs");
            File.Delete(DiskSpace.ReservePath(bRuns));

            // A's agent fills the disk: A's reserve lets its run fail at once, with reason `disk`.
            fillRun = await Start(a, _a, "filler");
            var failed = await TestServer.WaitForStatus(a, _a, fillRun, RunStatus.Failed.Wire());
            Assert.StartsWith("disk full:", failed.GetProperty("reason").GetString());
            Assert.Equal("disk", failed.GetProperty("agents").GetProperty("fill").GetProperty("reason").GetString());
            Assert.Equal("pending", failed.GetProperty("agents").GetProperty("next").GetProperty("status").GetString());
            var rest = Path.Combine(_disk.Path, "rest");
            await TmpfsMount.FillAsync(rest); // and whatever the reserve left over

            // B's waiting agent finishes now, but its end can't be written: the run stalls and says so.
            var waiterWork = Path.Combine(bRuns, waiterRun, "work");
            File.Create(Path.Combine(waiterWork, "go")).Dispose(); // an empty file needs no block
            var stalled = await WaitFor(b, _b, waiterRun, run => run.TryGetProperty("stalled", out _));
            Assert.Equal(RunStatus.Running.Wire(), stalled.GetProperty("status").GetString());
            Assert.StartsWith("disk full:", stalled.GetProperty("stalled").GetString());

            // Another run in B: 507 with a problem+json, and nothing left behind.
            var refused = await b.PostAsync($"/api/workspaces/{_b}/runs", TestServer.Json(new { chain = "review" }));
            Assert.Equal(HttpStatusCode.InsufficientStorage, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.DoesNotContain(_disk.Path, await refused.Content.ReadAsStringAsync()); // no server path reaches the tenant
            Assert.Equal(
                new[] { reviewRun, waiterRun }.Order(),
                Directory.EnumerateDirectories(bRuns).Select(Path.GetFileName).Order()
            );
            // A cancel can't be stored either: a clear 507, and no inbox file (not even an empty temp one).
            var cancel = await b.PostAsync($"/api/workspaces/{_b}/runs/{reviewRun}/cancel", null);
            Assert.Equal(HttpStatusCode.InsufficientStorage, cancel.StatusCode);
            Assert.Empty(
                Directory.EnumerateFiles(Path.Combine(bRuns, reviewRun, "inbox"), "*", SearchOption.AllDirectories)
            );

            // Space is freed: no hand edit of any run is needed.
            File.Delete(rest);
            File.Delete(Path.Combine(server.Data.WorkspacePath(_a), "runs", fillRun, "work", "ballast"));
            var recovered = await TestServer.WaitForStatus(b, _b, waiterRun, RunStatus.Failed.Wire());
            Assert.StartsWith("disk full:", recovered.GetProperty("reason").GetString());
            Assert.Equal("disk", recovered.GetProperty("agents").GetProperty("wait").GetProperty("reason").GetString());
            Assert.False(recovered.TryGetProperty("stalled", out _));
            Assert.Equal(
                HttpStatusCode.Accepted,
                (await b.PostAsync($"/api/workspaces/{_b}/runs/{reviewRun}/cancel", null)).StatusCode
            );
            await TestServer.WaitForStatus(b, _b, reviewRun, RunStatus.Cancelled.Wire());
        }

        // A restart finds every run finished: nothing is re-run, nothing is queued.
        await using (var restarted = await TestServer.StartAsync(_disk.Path))
        {
            using var a = restarted.Client(restarted.Token(_a, Role.Owner));
            var fill = await TestServer.WaitForStatus(a, _a, fillRun, RunStatus.Failed.Wire());
            var events = EventReader.ReadAll(Path.Combine(restarted.Data.WorkspacePath(_a), "runs", fillRun, "events"));
            Assert.Single(events, e => e.Type == "fill.started");
            Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Seq));
            using var b = restarted.Client(restarted.Token(_b, Role.Viewer));
            var list = await TestServer.ReadJson(await b.GetAsync($"/api/workspaces/{_b}/runs"));
            Assert.Equal(
                [RunStatus.Cancelled.Wire(), RunStatus.Failed.Wire()],
                list.EnumerateArray().Select(r => r.GetProperty("status").GetString()!).Order()
            );
        }
    }

    private static async Task Put(HttpClient client, string ws, string name, string yaml)
    {
        var answer = await client.PutAsync($"/api/workspaces/{ws}/chains/{name}", TestServer.Yaml(yaml));
        Assert.True(answer.IsSuccessStatusCode, await answer.Content.ReadAsStringAsync());
    }

    private static async Task<string> Start(HttpClient client, string ws, string chain)
    {
        var answer = await client.PostAsync($"/api/workspaces/{ws}/runs", TestServer.Json(new { chain }));
        Assert.Equal(HttpStatusCode.Created, answer.StatusCode);
        return (await TestServer.ReadJson(answer)).GetProperty("id").GetString()!;
    }

    private static async Task<System.Text.Json.JsonElement> WaitFor(
        HttpClient client,
        string ws,
        string id,
        Func<System.Text.Json.JsonElement, bool> condition
    )
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var run = await TestServer.ReadJson(await client.GetAsync($"/api/workspaces/{ws}/runs/{id}"));
            if (condition(run))
                return run;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"run {id}: {run}");
            await Task.Delay(50);
        }
    }

    public void Dispose() => _disk.Dispose();
}
