using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Baton.Server;
using Baton.Server.Auth;
using Baton.Server.Hosting;

namespace Baton.Bench;

/// <summary>
/// W3 on the real path: the published `baton serve` with default settings on a fresh data folder,
/// 1,000 runs of draft → review (decision) → publish, draft and publish offline `prompt:` agents
/// through the real provider stack. Driven over HTTP (32 connections): clock from the first POST
/// until /metrics shows every run waiting and none active; the server's RSS one second later, still
/// holding them; the bytes on disk per paused run (apparent and allocated, and which files they are:
/// printed to stderr); then 1,000 approvals, clock until /metrics counts them all succeeded. One
/// warm-up round of 100 runs (paused and approved) first, as the in-process W3 does.
/// </summary>
public sealed class W3Serve : Workload
{
    private const string Ws = "bench";
    private const int Concurrency = 32;
    private const int WarmUpRuns = 100;
    public override string Name => "W3S";
    public override string Title => "paused through baton serve";

    public const string Chain = """
        name: bench-w3s
        agents:
          draft:
            model: offline
            prompt: write a draft
          review:
            decision:
              show: |
                Please review:

                {{ agents.draft.output }}
          publish:
            model: offline
            prompt: publish it
        """;

    public override async Task<Dictionary<string, double?>> RunAsync(ChildOptions options)
    {
        var count = options.Quick ? 300 : W3Paused.Runs;
        using var ws = new BenchWorkspace(options.Root);
        var dataPath = Path.Combine(ws.Root, "data");
        var data = new DataRoot(dataPath);
        data.CreateWorkspace(Ws);
        await File.WriteAllTextAsync(Path.Combine(data.WorkspacePath(Ws), "chains", "w3.yaml"), Chain);
        var token = new TokenStore(data.TokensFile).Create(Ws, Role.Owner, "bench").Token;
        var metricsToken = MetricsAccess.EnsureToken(data);

        await using var serve = await BatonServe.StartAsync(dataPath);
        var idleRss = await SettledRssMb(serve);
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Concurrency })
        {
            BaseAddress = new Uri(serve.Url),
            Timeout = TimeSpan.FromMinutes(2),
        };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var metrics = new HttpClient { BaseAddress = new Uri(serve.Url) };
        metrics.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", metricsToken);

        var warmIds = await PostRunsAsync(client, WarmUpRuns);
        await UntilAsync(metrics, serve, waiting: WarmUpRuns, succeeded: 0);
        await ApproveAllAsync(client, warmIds, await ShownHashAsync(client));
        await UntilAsync(metrics, serve, waiting: 0, succeeded: WarmUpRuns);
        await Task.Delay(TimeSpan.FromSeconds(1)); // the runtime's background re-JIT of what the warm-up made hot

        // Under BATON_BENCH_PERF_CTL (perf record -p <the server>) the clocked pause and approvals are sampled.
        var profiled = Measurements.Profiled();
        var cpuBefore = serve.CpuSeconds();
        var clock = Stopwatch.StartNew();
        var ids = await PostRunsAsync(client, count);
        var posted = clock.Elapsed.TotalSeconds;
        await UntilAsync(metrics, serve, waiting: count, succeeded: WarmUpRuns);
        var paused = clock.Elapsed.TotalSeconds;
        var pauseCpu = serve.CpuSeconds() - cpuBefore;
        profiled.Dispose();
        var pausedRss = await SettledRssMb(serve);
        var disk = RunDisk.Measure(Path.Combine(data.WorkspacePath(Ws), "runs"), ids);
        Console.Error.Write(disk.Breakdown());

        var shownHash = await ShownHashAsync(client); // before the clock: a reviewer had the card already
        profiled = Measurements.Profiled();
        cpuBefore = serve.CpuSeconds();
        clock.Restart();
        await ApproveAllAsync(client, ids, shownHash);
        await UntilAsync(metrics, serve, waiting: 0, succeeded: WarmUpRuns + count);
        var resumed = clock.Elapsed.TotalSeconds;
        profiled.Dispose();
        return new()
        {
            ["pause_s"] = paused,
            ["pause_posted_s"] = posted,
            ["pause_cpu_s"] = pauseCpu,
            ["paused_rss_mb"] = pausedRss,
            ["idle_rss_mb"] = idleRss,
            ["paused_extra_rss_mb"] = pausedRss - idleRss,
            ["resume_s"] = resumed,
            ["resume_cpu_s"] = serve.CpuSeconds() - cpuBefore,
            ["serve_peak_rss_mb"] = serve.PeakRssMb(),
            ["disk_kb_per_run"] = disk.ApparentBytes / 1024.0 / ids.Count,
            ["disk_allocated_kb_per_run"] = disk.AllocatedBytes / 1024.0 / ids.Count,
            ["files_per_run"] = (double)disk.Files / ids.Count,
        };
    }

    /// <summary>
    /// VmRSS three seconds after the server went quiet: what it holds while runs wait for a human (minutes
    /// to days), not what it was just doing — the server gives a burst's garbage back after a second of quiet.
    /// </summary>
    private static async Task<double> SettledRssMb(BatonServe serve)
    {
        await Task.Delay(TimeSpan.FromSeconds(3));
        return Measurements.CurrentRssMb(serve.Pid);
    }

    private static async Task<List<string>> PostRunsAsync(HttpClient client, int count)
    {
        var ids = new string[count];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (i, ct) =>
        {
            using var response = await client.PostAsJsonAsync($"/api/workspaces/{Ws}/runs", new { chain = "w3" }, ct);
            if (!response.IsSuccessStatusCode)
                throw new InvalidOperationException(
                    $"W3S: POST /runs {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}"
                );
            ids[i] = (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetString()!;
        });
        return [.. ids];
    }

    /// <summary>Every W3S run shows the same text, so one card's shown_hash (which the API requires) is every card's.</summary>
    private static async Task<string> ShownHashAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/workspaces/{Ws}/decisions"))[0]
            .GetProperty("shown_hash")
            .GetString()!;

    private static Task ApproveAllAsync(HttpClient client, IReadOnlyList<string> ids, string shownHash) =>
        Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (id, ct) =>
        {
            using var response = await client.PostAsJsonAsync(
                $"/api/workspaces/{Ws}/runs/{id}/decisions/review",
                new { decision = "approve", shown_hash = shownHash },
                ct
            );
            if (!response.IsSuccessStatusCode)
                throw new InvalidOperationException(
                    $"W3S: approving {id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}"
                );
        });

    /// <summary>Until /metrics shows this many runs waiting, none active, and this many succeeded in all.</summary>
    private static async Task UntilAsync(HttpClient metrics, BatonServe serve, long waiting, long succeeded)
    {
        for (var deadline = Stopwatch.StartNew(); ; await Task.Delay(10))
        {
            var text = await metrics.GetStringAsync("/metrics");
            if (
                BatonServe.Metric(text, "baton_runs_waiting") == waiting
                && BatonServe.Metric(text, "baton_runs_active") == 0
                && Math.Max(0, BatonServe.Metric(text, "baton_runs_finished_total{status=\"succeeded\"}")) >= succeeded
            )
                return;
            var failed = BatonServe.Metric(text, "baton_runs_finished_total{status=\"failed\"}");
            if (failed > 0)
                throw new InvalidOperationException($"W3S: {failed} runs failed; server: {serve.Errors}");
            if (deadline.Elapsed > TimeSpan.FromMinutes(3))
                throw new TimeoutException(
                    $"W3S: not {waiting} waiting / {succeeded} succeeded after 3 minutes: "
                        + $"{BatonServe.Metric(text, "baton_runs_waiting")} waiting, "
                        + $"{BatonServe.Metric(text, "baton_runs_active")} active"
                );
        }
    }
}
