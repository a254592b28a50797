using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Baton.Agents;
using Baton.Runs;
using Baton.Server;
using Baton.Server.Auth;
using Baton.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Baton.Bench;

/// <summary>
/// W3: 1,000 runs of draft (0 ms) → decision → publish (0 ms), through a real server in this process
/// (BatonServer on a loopback port over a fresh data folder, the fake LLM as its prompt runner), driven
/// over HTTP the way a user's client would: POST the 1,000 runs, time until every one is parked
/// at its decision (no engine loop left, only an inotify watch); RSS after a full GC while they are
/// parked (and of the same server idle, before the runs); then POST the 1,000 approvals and time
/// until every run has finished. Requests go out with bounded concurrency (a browser's or a script's
/// handful of connections, not 1,000 sockets at once).
/// </summary>
public sealed class W3Paused : Workload
{
    public const int Runs = 1000;
    private const int Concurrency = 32;
    private const string Ws = "bench";
    public override string Name => "W3";
    public override string Title => "paused";

    public const string Chain = """
        name: bench-w3
        agents:
          draft:
            prompt: write a draft
          review:
            decision:
              show: |
                Please review:

                {{ agents.draft.output }}
          publish:
            prompt: publish it
        """;

    public override async Task<Dictionary<string, double?>> RunAsync(ChildOptions options)
    {
        var count = options.Quick ? 300 : Runs;
        using var ws = new BenchWorkspace(options.Root);
        var url = $"http://127.0.0.1:{FreePort()}";
        var settings = new ServerSettings { Runners = W1Handoff.Options().Runners };
        var app = BatonServer.Build(new ServerOptions(Path.Combine(ws.Root, "data"), url) { Settings = settings });
        await app.StartAsync();
        try
        {
            var data = app.Services.GetRequiredService<DataRoot>();
            var host = app.Services.GetRequiredService<RunHost>();
            data.CreateWorkspace(Ws);
            await File.WriteAllTextAsync(Path.Combine(data.WorkspacePath(Ws), "chains", "w3.yaml"), Chain);
            var token = app.Services.GetRequiredService<TokenStore>().Create(Ws, Role.Owner, "bench").Token;
            using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Concurrency }) { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(2) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

            // Warm-up: every path once (start, park, approve, finish), so the clocks don't time the JIT.
            await PauseAll(client, host, 20);
            await ApproveAll(client, host, await RunIds(client, "waiting"));
            var idleRss = SettledRssMb();

            var clock = Stopwatch.StartNew();
            var (ids, posted) = await PauseAll(client, host, count);
            var paused = clock.Elapsed.TotalSeconds;
            var pausedRss = SettledRssMb();

            clock.Restart();
            await ApproveAll(client, host, ids);
            var resumed = clock.Elapsed.TotalSeconds;

            var summaries = await RunIds(client, "succeeded");
            if (summaries.Count != count + 20) throw new InvalidOperationException($"W3: {summaries.Count} of {count + 20} runs succeeded");
            return new()
            {
                ["pause_s"] = paused,
                ["pause_posted_s"] = posted,
                ["paused_rss_mb"] = pausedRss,
                ["idle_rss_mb"] = idleRss,
                ["paused_extra_rss_mb"] = pausedRss - idleRss,
                ["resume_s"] = resumed,
                ["peak_rss_mb"] = Measurements.PeakRssMb(),
            };
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    /// <summary>POSTs the runs; returns their ids once every one is parked, and when the last POST was answered.</summary>
    private static async Task<(List<string> Ids, double PostedS)> PauseAll(HttpClient client, RunHost host, int count)
    {
        var parkedBefore = host.ParkedCount;
        var clock = Stopwatch.StartNew();
        var ids = new string[count];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (i, ct) =>
        {
            using var response = await client.PostAsJsonAsync($"/api/workspaces/{Ws}/runs", new { chain = "w3" }, ct);
            response.EnsureSuccessStatusCode();
            ids[i] = (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetString()!;
        });
        var posted = clock.Elapsed.TotalSeconds;
        await Until(() => host.ParkedCount - parkedBefore >= count && host.ActiveCount == 0, "parked");
        return ([.. ids], posted);
    }

    private static async Task ApproveAll(HttpClient client, RunHost host, IReadOnlyList<string> ids)
    {
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (id, ct) =>
        {
            using var response = await client.PostAsJsonAsync($"/api/workspaces/{Ws}/runs/{id}/decisions/review", new { decision = "approve" }, ct);
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"W3: approving {id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
        });
        // Every approval was accepted (its decided event is durable) and its engine launched: done when none is active or parked.
        try { await Until(() => host.ActiveCount == 0 && host.ParkedCount == 0, "finished"); }
        catch (TimeoutException)
        {
            // Say which runs are stuck and where, so a hang can be diagnosed from the bench's output.
            foreach (var id in ids)
            {
                var run = await client.GetFromJsonAsync<JsonElement>($"/api/workspaces/{Ws}/runs/{id}");
                if (run.GetProperty("status").GetString() == "succeeded") continue;
                var events = await client.GetStringAsync($"/api/workspaces/{Ws}/runs/{id}/events");
                Console.Error.WriteLine($"stuck: {id} {run.GetProperty("status")} active={host.ActiveTask(Ws, id) is not null}\n{events}");
                break;
            }
            throw;
        }
    }

    private static async Task<List<string>> RunIds(HttpClient client, string status)
    {
        var runs = await client.GetFromJsonAsync<JsonElement>($"/api/workspaces/{Ws}/runs?status={status}");
        return [.. runs.EnumerateArray().Select(r => r.GetProperty("id").GetString()!)];
    }

    private static async Task Until(Func<bool> condition, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (deadline.Elapsed > TimeSpan.FromMinutes(2)) throw new TimeoutException($"W3: runs not all {what} after 2 minutes");
            await Task.Delay(1);
        }
    }

    /// <summary>RSS after a full, compacting GC that also gives free memory back to the OS: what the process really holds.</summary>
    private static double SettledRssMb()
    {
        for (var i = 0; i < 2; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }
        Thread.Sleep(200);
        return Measurements.CurrentRssMb();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
