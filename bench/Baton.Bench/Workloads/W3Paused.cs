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
/// at its decision (no engine loop left, only an inotify watch). RSS: the published `baton serve`,
/// started on that data folder, once it has parked the 1,000 runs (and the same on an empty data
/// folder: idle). Then the in-process server again (it parks them at start), POST the 1,000
/// approvals and time until every run has finished. Requests go out with bounded concurrency (a browser's or a script's
/// handful of connections, not 1,000 sockets at once).
/// </summary>
public sealed class W3Paused : Workload
{
    public const int Runs = 1000;
    private const int Concurrency = 32;
    private const int WarmUpRuns = 100;
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
        var dataPath = Path.Combine(ws.Root, "data");
        string token;
        double paused,
            posted;
        List<string> ids;
        await using (var server = await InProcessServer.StartAsync(dataPath))
        {
            server.Data.CreateWorkspace(Ws);
            await File.WriteAllTextAsync(Path.Combine(server.Data.WorkspacePath(Ws), "chains", "w3.yaml"), Chain);
            token = server.Tokens.Create(Ws, Role.Owner, "bench").Token;
            using var client = Client(server.Url, token);

            // Warm-up: every path (start, park, approve, finish) often enough that the runtime has moved it
            // to its optimized tier (after 30 calls, then in the background), so the clocks don't time the JIT.
            await PauseAll(client, server.Host, WarmUpRuns);
            await ApproveAll(client, server.Host, await RunIds(client, "waiting"));
            await Task.Delay(TimeSpan.FromSeconds(1));

            using (Measurements.Profiled())
            {
                var clock = Stopwatch.StartNew();
                (ids, posted) = await PauseAll(client, server.Host, count);
                paused = clock.Elapsed.TotalSeconds;
            }
        }

        // RSS is a real `baton serve` holding the paused runs (it parks them at start), not this
        // process, which also carries the load generator and the other workloads' code.
        var idleRss = await ServeRssMb(Path.Combine(ws.Root, "idle-data"), waiting: 0, prepare: data =>
        {
            data.CreateWorkspace(Ws);
            return new TokenStore(data.TokensFile).Create(Ws, Role.Owner, "bench").Token;
        });
        var pausedRss = await ServeRssMb(dataPath, waiting: count, prepare: _ => token);

        double resumed;
        await using (var server = await InProcessServer.StartAsync(dataPath))
        {
            using var client = Client(server.Url, token);
            await Until(() => server.Host.ParkedCount >= count, "parked again");
            // A new server compiles its endpoints and services on first use: warmed like the first one.
            var (warmIds, _) = await PauseAll(client, server.Host, WarmUpRuns);
            await ApproveAll(client, server.Host, warmIds, parkedAfter: count);
            await Task.Delay(TimeSpan.FromSeconds(1));
            using (JitSampler.StartIfAsked())
            using (Measurements.Profiled())
            {
                var shownHash = await ShownHash(client); // before the clock: a reviewer had the card already
                var clock = Stopwatch.StartNew();
                await ApproveAll(client, server.Host, ids, shownHash);
                resumed = clock.Elapsed.TotalSeconds;
            }
            var summaries = await RunIds(client, "succeeded");
            if (summaries.Count != count + 2 * WarmUpRuns)
                throw new InvalidOperationException(
                    $"W3: {summaries.Count} of {count + 2 * WarmUpRuns} runs succeeded"
                );
        }
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

    /// <summary>The server in this process (the fake LLM as its prompt runner, the host's counters readable).</summary>
    private sealed class InProcessServer : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private InProcessServer(WebApplication app, string url)
        {
            _app = app;
            Url = url;
        }

        public string Url { get; }
        public DataRoot Data => _app.Services.GetRequiredService<DataRoot>();
        public TokenStore Tokens => _app.Services.GetRequiredService<TokenStore>();
        public RunHost Host => _app.Services.GetRequiredService<RunHost>();

        public static async Task<InProcessServer> StartAsync(string dataPath)
        {
            var url = $"http://127.0.0.1:{FreePort()}";
            var app = BatonServer.Build(
                new ServerOptions(dataPath, url)
                {
                    Settings = new ServerSettings { Runners = W1Handoff.Options().Runners },
                }
            );
            await app.StartAsync();
            return new InProcessServer(app, url);
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    /// <summary>
    /// Starts the published `baton serve` on the data folder, waits until it reports `waiting` runs
    /// parked and none active (its /metrics), lets it settle for a second, and returns its VmRSS.
    /// </summary>
    private static async Task<double> ServeRssMb(string dataPath, int waiting, Func<DataRoot, string> prepare)
    {
        var data = new DataRoot(dataPath);
        prepare(data);
        var token = MetricsAccess.EnsureToken(data); // only /metrics is asked below: the operator's token
        var baton = BatonServe.Executable;
        var url = $"http://127.0.0.1:{FreePort()}";
        var info = new ProcessStartInfo(baton) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "serve", "--data", dataPath, "--urls", url })
            info.ArgumentList.Add(arg);
        using var serve = Process.Start(info)!;
        _ = serve.StandardOutput.ReadToEndAsync();
        var errors = serve.StandardError.ReadToEndAsync();
        try
        {
            using var client = Client(url, token);
            var deadline = Stopwatch.StartNew();
            while (true)
            {
                if (serve.HasExited)
                    throw new InvalidOperationException($"W3: baton serve exited {serve.ExitCode}: {await errors}");
                if (deadline.Elapsed > TimeSpan.FromMinutes(2))
                    throw new TimeoutException($"W3: baton serve did not park {waiting} runs");
                try
                {
                    var metrics = await client.GetStringAsync("/metrics");
                    if (Gauge(metrics, "baton_runs_waiting") == waiting && Gauge(metrics, "baton_runs_active") == 0)
                        break;
                }
                catch (HttpRequestException)
                { /* not listening yet */
                }
                await Task.Delay(50);
            }
            await Task.Delay(1000);
            var rss = Measurements.CurrentRssMb(serve.Id);
            return rss > 0 ? rss : throw new InvalidOperationException("W3: no VmRSS for baton serve");
        }
        finally
        {
            serve.Kill();
            await serve.WaitForExitAsync();
        }
    }

    private static long Gauge(string metrics, string name) => W2Serve.Counter(metrics, name, missing: -1);

    private static HttpClient Client(string url, string token)
    {
        var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Concurrency })
        {
            BaseAddress = new Uri(url),
            Timeout = TimeSpan.FromMinutes(2),
        };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
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

    /// <param name="parkedAfter">Runs still parked when these are done (others waiting for a later phase).</param>
    private static async Task ApproveAll(
        HttpClient client,
        RunHost host,
        IReadOnlyList<string> ids,
        int parkedAfter = 0
    ) => await ApproveAll(client, host, ids, await ShownHash(client), parkedAfter);

    /// <summary>Every W3 run shows the same text, so one card's shown_hash (which the API requires) is every card's.</summary>
    private static async Task<string> ShownHash(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/workspaces/{Ws}/decisions"))[0]
            .GetProperty("shown_hash")
            .GetString()!;

    private static async Task ApproveAll(
        HttpClient client,
        RunHost host,
        IReadOnlyList<string> ids,
        string shownHash,
        int parkedAfter = 0
    )
    {
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (id, ct) =>
        {
            using var response = await client.PostAsJsonAsync(
                $"/api/workspaces/{Ws}/runs/{id}/decisions/review",
                new { decision = "approve", shown_hash = shownHash },
                ct
            );
            if (!response.IsSuccessStatusCode)
                throw new InvalidOperationException(
                    $"W3: approving {id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}"
                );
        });
        // Every approval was accepted (its decided event is durable) and its engine launched: done when none is active or parked.
        try
        {
            await Until(() => host.ActiveCount == 0 && host.ParkedCount == parkedAfter, "finished");
        }
        catch (TimeoutException)
        {
            // Say which runs are stuck and where, so a hang can be diagnosed from the bench's output.
            foreach (var id in ids)
            {
                var run = await client.GetFromJsonAsync<JsonElement>($"/api/workspaces/{Ws}/runs/{id}");
                if (run.GetProperty("status").GetString() == "succeeded")
                    continue;
                var events = await client.GetStringAsync($"/api/workspaces/{Ws}/runs/{id}/events");
                Console.Error.WriteLine(
                    $"stuck: {id} {run.GetProperty("status")} active={host.ActiveTask(Ws, id) is not null}\n{events}"
                );
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
            if (deadline.Elapsed > TimeSpan.FromMinutes(2))
                throw new TimeoutException($"W3: runs not all {what} after 2 minutes");
            await Task.Delay(1);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
