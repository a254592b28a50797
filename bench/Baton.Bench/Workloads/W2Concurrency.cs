using Baton.Runs;

namespace Baton.Bench;

/// <summary>
/// W2: 1,000 runs of prep (0 ms) → llm (1,000 ms) → finish (0 ms), all started at once in one
/// process (one engine, 1,000 concurrent RunAsync): wall time until every run has finished
/// (durably), and the process's peak RSS. Creating the run folders happens before the clock starts.
/// Two bursts in one process: the first right after start (cold: ReadyToRun code, methods still
/// being re-JIT'd on the clock) and the measured one on the warmed engine, as on a server that has
/// been running; both are reported.
/// </summary>
public sealed class W2Concurrency : Workload
{
    public const int Runs = 1000;
    public override string Name => "W2";
    public override string Title => "concurrency";

    public override async Task<Dictionary<string, double?>> RunAsync(ChildOptions options)
    {
        using var ws = new BenchWorkspace(options.Root);
        var engine = new RunEngine(
            ws.Workspace,
            W1Handoff.Options(agent => agent == "llm" ? TimeSpan.FromSeconds(1) : TimeSpan.Zero)
        );
        await new RunEngine(ws.Workspace, W1Handoff.Options()).RunAsync(
            await ws.CreateRunAsync(BenchChains.PrepLlmFinish, "warm.yaml")
        );

        var cold = await BurstAsync(ws, engine, profiled: false);
        var warm = await BurstAsync(ws, engine, profiled: true);
        warm["cold_wall_s"] = cold["wall_s"];
        warm["peak_rss_mb"] = Measurements.PeakRssMb();
        return warm;
    }

    private static async Task<Dictionary<string, double?>> BurstAsync(
        BenchWorkspace ws,
        RunEngine engine,
        bool profiled
    )
    {
        var runs = new RunFolder[Runs];
        for (var i = 0; i < Runs; i += 50)
        {
            var batch = Enumerable
                .Range(i, Math.Min(50, Runs - i))
                .Select(async j => runs[j] = await ws.CreateRunAsync(BenchChains.PrepLlmFinish));
            await Task.WhenAll(batch);
        }

        // What an earlier burst left for the GC is not this burst's cost: a server collects it while idle.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        RunOutcome[] outcomes;
        double wall;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        int[] collectionsBefore = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
        using (profiled ? AllocationSampler.StartIfAsked() : null)
        using (profiled ? Measurements.Profiled() : null)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            outcomes = await Task.WhenAll(runs.Select(r => engine.RunAsync(r)));
            wall = clock.Elapsed.TotalSeconds;
        }
        var failed = outcomes.Count(o => o.Status != RunStatus.Succeeded);
        if (failed > 0)
            throw new InvalidOperationException(
                $"W2: {failed} runs did not succeed, e.g. {outcomes.First(o => o.Status != RunStatus.Succeeded)}"
            );
        return new()
        {
            ["wall_s"] = wall,
            // Not targets: what the clocked part allocated and how many collections it caused (gen0/1/2), to explain the wall.
            ["allocated_mb"] = (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / 1048576.0,
            ["gc0"] = GC.CollectionCount(0) - collectionsBefore[0],
            ["gc1"] = GC.CollectionCount(1) - collectionsBefore[1],
            ["gc2"] = GC.CollectionCount(2) - collectionsBefore[2],
        };
    }
}
