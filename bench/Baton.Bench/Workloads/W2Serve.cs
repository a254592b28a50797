using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Baton.Server;
using Baton.Server.Auth;
using Baton.Server.Hosting;

namespace Baton.Bench;

/// <summary>
/// W2 on the real path: the published `baton serve` with default settings, 1,000 runs of
/// prep → llm (an `openai` provider answering after 1 s: <see cref="FakeOpenAi"/>) → finish, prep
/// and finish being no-op `prompt:` agents on the offline provider. Driven over HTTP as a client
/// would (32 connections): wall from the first POST until /metrics counts 1,000 more succeeded
/// runs, and the server's CPU time meanwhile; two bursts, the first right after start (cold) and
/// the measured one on the warmed server; the server's peak RSS (VmHWM).
/// </summary>
/// <param name="tls">
/// W2T: the same with the model behind https, as every hosted API is (the fake offering HTTP/1.1 and 2, its certificate
/// given to the server as SSL_CERT_FILE): what a connection per call would cost a user, which plain http hides.
/// </param>
public sealed class W2Serve(bool tls = false) : Workload
{
    private const string Ws = "bench";
    private const int Concurrency = 32;
    public override string Name => tls ? "W2T" : "W2S";
    public override string Title =>
        tls ? "concurrency through baton serve, the model over https" : "concurrency through baton serve";

    public const string Chain = """
        name: bench-w2s
        agents:
          prep:
            model: offline
            prompt: prepare
          llm:
            prompt: think for a second
          finish:
            model: offline
            prompt: wrap up
        """;

    public override async Task<Dictionary<string, double?>> RunAsync(ChildOptions options)
    {
        var count = options.Quick ? 300 : W2Concurrency.Runs;
        await using var llm = await FakeOpenAi.StartAsync(TimeSpan.FromSeconds(1), tls);
        using var ws = new BenchWorkspace(options.Root);
        var dataPath = Path.Combine(ws.Root, "data");
        var data = new DataRoot(dataPath);
        data.CreateWorkspace(Ws);
        await File.WriteAllTextAsync(
            Path.Combine(data.WorkspacePath(Ws), "baton.yaml"),
            W1RealHandoff.ProviderConfig(llm)
        );
        await File.WriteAllTextAsync(Path.Combine(data.WorkspacePath(Ws), "chains", "w2.yaml"), Chain);
        var token = new TokenStore(data.TokensFile).Create(Ws, Role.Owner, "bench").Token;

        var metricsToken = MetricsAccess.EnsureToken(data); // /metrics is the operator's, not a workspace token's

        await using var serve = tls
            ? await BatonServe.StartAsync(dataPath, ("SSL_CERT_FILE", llm.CertificateFile!))
            : await BatonServe.StartAsync(dataPath);
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Concurrency })
        {
            BaseAddress = new Uri(serve.Url),
            Timeout = TimeSpan.FromMinutes(2),
        };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var operatorClient = new HttpClient { BaseAddress = new Uri(serve.Url) };
        operatorClient.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", metricsToken);
        // Cold: the first burst after the server started (its code still being compiled on the clock), as
        // W2's cold row; then the measured burst on the warmed server, as on one that has been running.
        var (coldWall, _, coldCpu) = await BurstAsync(client, operatorClient, serve, count, succeededBefore: 0);
        await Task.Delay(TimeSpan.FromSeconds(1)); // the runtime's background re-JIT of what the burst made hot
        var heapBefore = ServerHeap.Read(await operatorClient.GetStringAsync("/metrics"));
        var (wall, posted, cpu) = await BurstAsync(client, operatorClient, serve, count, succeededBefore: count);
        var heap = ServerHeap.Read(await operatorClient.GetStringAsync("/metrics")) - heapBefore;
        return new()
        {
            // what the server allocated over the measured burst and its collections, from its own /metrics: steadier
            // than its CPU or RSS on this machine (the disk does not move them)
            ["serve_allocated_kb_per_run"] = heap.AllocatedBytes / 1024.0 / count,
            ["serve_gc0"] = heap.Gen0,
            ["serve_gc1"] = heap.Gen1,
            ["serve_gc2"] = heap.Gen2,
            ["wall_s"] = wall,
            ["cold_wall_s"] = coldWall,
            ["cold_cpu_s"] = coldCpu,
            ["posted_s"] = posted,
            ["serve_peak_rss_mb"] = serve.PeakRssMb(),
            ["serve_cpu_s"] = cpu, // user + system: steadier than the wall on a shared machine
            ["llm_calls"] = llm.Calls,
        };
    }

    private static async Task<(double Wall, double Posted, double Cpu)> BurstAsync(
        HttpClient client,
        HttpClient operatorClient,
        BatonServe serve,
        int count,
        int succeededBefore
    )
    {
        // The measured burst only is sampled under BATON_BENCH_PERF_CTL (perf record -p <the server>).
        using var profiled = succeededBefore > 0 ? Measurements.Profiled() : null;
        var cpuBefore = serve.CpuSeconds();
        var clock = Stopwatch.StartNew();
        await PostRunsAsync(client, count);
        var posted = clock.Elapsed.TotalSeconds;
        await UntilSucceeded(operatorClient, succeededBefore + count, serve);
        return (clock.Elapsed.TotalSeconds, posted, serve.CpuSeconds() - cpuBefore);
    }

    private static Task PostRunsAsync(HttpClient client, int count) =>
        Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (_, ct) =>
        {
            using var response = await client.PostAsJsonAsync($"/api/workspaces/{Ws}/runs", new { chain = "w2" }, ct);
            if (!response.IsSuccessStatusCode)
                throw new InvalidOperationException(
                    $"W2S: POST /runs {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}"
                );
        });

    private static async Task UntilSucceeded(HttpClient client, int count, BatonServe serve)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var metrics = await client.GetStringAsync("/metrics");
            if (Counter(metrics, "baton_runs_finished_total{status=\"succeeded\"}") >= count)
                return;
            var failed = Counter(metrics, "baton_runs_finished_total{status=\"failed\"}");
            if (failed > 0)
                throw new InvalidOperationException($"W2S: {failed} runs failed; server: {serve.Errors}");
            if (deadline.Elapsed > TimeSpan.FromMinutes(3))
                throw new TimeoutException($"W2S: not {count} runs succeeded after 3 minutes");
            await Task.Delay(10);
        }
    }

    /// <summary>The server's GC counters as its /metrics reports them (the runtime's own meter).</summary>
    internal readonly record struct ServerHeap(long AllocatedBytes, long Gen0, long Gen1, long Gen2)
    {
        public static ServerHeap Read(string metrics) =>
            new(
                Counter(metrics, "dotnet_gc_heap_total_allocated_bytes_total"),
                Counter(metrics, "dotnet_gc_collections_total{gc_heap_generation=\"gen0\"}"),
                Counter(metrics, "dotnet_gc_collections_total{gc_heap_generation=\"gen1\"}"),
                Counter(metrics, "dotnet_gc_collections_total{gc_heap_generation=\"gen2\"}")
            );

        public static ServerHeap operator -(ServerHeap after, ServerHeap before) =>
            new(
                after.AllocatedBytes - before.AllocatedBytes,
                after.Gen0 - before.Gen0,
                after.Gen1 - before.Gen1,
                after.Gen2 - before.Gen2
            );
    }

    /// <summary>A series' value; OpenTelemetry's exporter writes a series without labels as `name{} value`.</summary>
    internal static long Counter(string metrics, string series, long missing = 0) =>
        metrics
            .Split('\n')
            .Select(l => l.StartsWith(series + "{} ", StringComparison.Ordinal) ? series + l[(series.Length + 2)..] : l)
            .Where(l => l.StartsWith(series + " ", StringComparison.Ordinal))
            .Select(l => (long)double.Parse(l[(series.Length + 1)..].Trim(), CultureInfo.InvariantCulture))
            .FirstOrDefault(missing);
}
