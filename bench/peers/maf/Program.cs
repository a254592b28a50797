using System.Diagnostics;
using System.Text;
using Microsoft.Agents.AI.Workflows;
using Microsoft.Agents.AI.Workflows.Checkpointing;

// Microsoft Agent Framework (Microsoft.Agents.AI.Workflows) doing Baton's workloads, for bench/peers/run.
// Each mode prints one line `KEY=VALUE ...`; the script takes medians over fresh processes.
//   w1 [STEPS]        STEPS sequential no-op executors in one workflow, in-memory checkpoints: µs per step
//   w2 [RUNS] [URL]   RUNS concurrent workflows prep → llm → finish; llm is an HTTP POST to URL's
//                     /chat/completions (the fake OpenAI-wire server) or, without URL, a 1 s timer
//   w3 DIR [RUNS]     RUNS workflows draft → review (a RequestPort: a human's answer) → publish, checkpointed as
//                     JSON files in DIR: time until all wait for the review, RSS while they wait (the runs
//                     disposed, their checkpoints on disk), bytes on disk per run, then every run resumed from
//                     its checkpoint with "approve": time until all ended
//   w4                a one-step workflow, for the whole process's wall time (measured outside)
return args switch
{
    ["w3", var dir, ..] => await W3(dir, args.Length > 2 ? int.Parse(args[2]) : 1000),
    ["w1", ..] => await W1(args.Length > 1 ? int.Parse(args[1]) : 200),
    ["w2", ..] => await W2(args.Length > 1 ? int.Parse(args[1]) : 1000, args.Length > 2 ? args[2] : null),
    ["w4", ..] => await W4(),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Maf.Peer w1 [STEPS] | w2 [RUNS] [LLM_BASE_URL] | w3 DIR [RUNS] | w4");
    return 2;
}

static async Task<int> W1(int steps)
{
    var workflow = Chain(steps);
    await RunOnce(workflow, CheckpointManager.CreateInMemory()); // warm-up: JIT and first-use costs off the clock
    var clock = Stopwatch.StartNew();
    await RunOnce(workflow, CheckpointManager.CreateInMemory());
    Console.WriteLine($"us_per_step={clock.Elapsed.TotalMicroseconds / steps:F1}");
    return 0;
}

static async Task<int> W2(int runs, string? llmBaseUrl)
{
    using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue })
    {
        Timeout = TimeSpan.FromMinutes(2),
    };
    var llm = llmBaseUrl is null
        ? (Func<Task>)(() => Task.Delay(TimeSpan.FromSeconds(1)))
        : async () =>
        {
            using var response = await http.PostAsync(
                llmBaseUrl.TrimEnd('/') + "/chat/completions",
                new StringContent(
                    "{\"model\":\"fake\",\"messages\":[{\"role\":\"user\",\"content\":\"noop\"}]}",
                    Encoding.UTF8,
                    "application/json"
                )
            );
            response.EnsureSuccessStatusCode();
            await response.Content.ReadAsByteArrayAsync();
        };
    var prep = ((Func<int, int>)(x => x)).BindAsExecutor("prep");
    var call = (
        (Func<int, ValueTask<int>>)(
            async x =>
            {
                await llm();
                return x;
            }
        )
    ).BindAsExecutor("llm", threadsafe: true);
    var finish = ((Func<int, int>)(x => x)).BindAsExecutor("finish");
    var workflow = new WorkflowBuilder(prep).AddEdge(prep, call).AddEdge(call, finish).WithOutputFrom(finish).Build();
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, runs).Select(i => RunOnce(workflow, CheckpointManager.CreateInMemory(), i)));
    Console.WriteLine($"wall_s={clock.Elapsed.TotalSeconds:F3} peak_rss_mb={PeakRssMb():F1}");
    return 0;
}

static async Task<int> W3(string dir, int runs)
{
    var draft = ((Func<int, int>)(x => x + 1)).BindAsExecutor("draft");
    var review = RequestPort.Create<int, string>("review");
    var publish = ((Func<string, int>)(answer => answer == "approve" ? 1 : 0)).BindAsExecutor("publish");
    var workflow = new WorkflowBuilder(draft)
        .AddEdge(draft, review)
        .AddEdge(review, publish)
        .WithOutputFrom(publish)
        .Build();
    using var store = new FileSystemJsonCheckpointStore(new DirectoryInfo(dir));
    var checkpoints = CheckpointManager.CreateJson(store);

    // Paused: each run goes until it waits for its review, and is let go; what survives is its checkpoint on
    // disk and the request a reviewer will answer (Baton's waiting event and inbox card, in memory here).
    async Task<(CheckpointInfo, ExternalRequest)> Pause(int i)
    {
        await using var run = await InProcessExecution.Concurrent.WithCheckpointing(checkpoints).RunAsync(workflow, i);
        if (await run.GetStatusAsync() != RunStatus.PendingRequests)
            throw new InvalidOperationException("the run did not wait for its review");
        var request = run.OutgoingEvents.OfType<RequestInfoEvent>().Single().Request;
        return (run.LastCheckpoint ?? throw new InvalidOperationException("no checkpoint"), request);
    }
    async Task Approve((CheckpointInfo Checkpoint, ExternalRequest Request) paused)
    {
        await using var run = await InProcessExecution
            .Concurrent.WithCheckpointing(checkpoints)
            .ResumeAsync(workflow, paused.Checkpoint);
        await run.ResumeAsync([paused.Request.CreateResponse("approve")]);
        var status = await run.GetStatusAsync();
        if (status != RunStatus.Idle && status != RunStatus.Ended)
            throw new InvalidOperationException($"an approved run ended {status}");
    }

    foreach (var warm in await Task.WhenAll(Enumerable.Range(0, 100).Select(Pause))) // JIT and first use off the clock
        await Approve(warm);
    var diskBefore = DiskBytes(dir);
    var clock = Stopwatch.StartNew();
    var waiting = await Task.WhenAll(Enumerable.Range(0, runs).Select(Pause));
    var pauseS = clock.Elapsed.TotalSeconds;
    var diskPerRunKb = (DiskBytes(dir) - diskBefore) / 1024.0 / runs;
    GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    await Task.Delay(1000);
    var pausedRssMb = ProcStatusMb("VmRSS:");
    clock.Restart();
    await Task.WhenAll(waiting.Select(Approve));
    Console.WriteLine(
        $"pause_s={pauseS:F3} paused_rss_mb={pausedRssMb:F1} approve_s={clock.Elapsed.TotalSeconds:F3} disk_kb_per_run={diskPerRunKb:F2}"
    );
    return 0;
}

static long DiskBytes(string dir) =>
    new DirectoryInfo(dir).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);

static async Task<int> W4()
{
    var step = ((Func<int, int>)(x => x + 1)).BindAsExecutor("step");
    await RunOnce(new WorkflowBuilder(step).WithOutputFrom(step).Build(), CheckpointManager.CreateInMemory());
    return 0;
}

static Workflow Chain(int steps)
{
    var executors = Enumerable
        .Range(0, steps)
        .Select(i => ((Func<int, int>)(x => x + 1)).BindAsExecutor($"step{i}"))
        .ToList();
    var builder = new WorkflowBuilder(executors[0]);
    for (var i = 1; i < steps; i++)
        builder.AddEdge(executors[i - 1], executors[i]);
    return builder.WithOutputFrom(executors[^1]).Build();
}

// The concurrent environment lets many runs share one Workflow (W2); the default one allows one run at a time.
static async Task RunOnce(Workflow workflow, CheckpointManager checkpoints, int input = 0)
{
    var environment = InProcessExecution.Concurrent.WithCheckpointing(checkpoints);
    await using var run = await environment.RunAsync(workflow, input);
    var status = await run.GetStatusAsync();
    if (status != RunStatus.Idle && status != RunStatus.Ended)
        throw new InvalidOperationException($"workflow ended {status}");
}

static double PeakRssMb() => ProcStatusMb("VmHWM:");

static double ProcStatusMb(string key)
{
    var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith(key, StringComparison.Ordinal));
    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0;
}
