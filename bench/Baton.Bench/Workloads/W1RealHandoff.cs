using System.Text.Json;
using Baton.Events;
using Baton.Runs;

namespace Baton.Bench;

/// <summary>
/// W1 on the real path: one run of 200 sequential `prompt:` agents through the real PromptAgent and
/// provider stack (an `openai` provider, the SDK, Baton's HTTP handler and gate) against
/// <see cref="FakeOpenAi"/> answering at once, every event on disk. Reported with the fake's own
/// round trip, which is in every step and is not Baton's. Measured twice: through `baton run` as shipped (the
/// native binary, its own process: what a user runs; the target's row), and in this process (the bench's JIT-built
/// engine, sharing its thread pool and cores with the fake: where the CPU and allocations per step come from).
/// </summary>
public sealed class W1RealHandoff : Workload
{
    public override string Name => "W1R";
    public override string Title => "hand-off, real prompt agents (HTTP)";

    public override async Task<Dictionary<string, double?>> RunAsync(ChildOptions options)
    {
        await using var llm = await FakeOpenAi.StartAsync(TimeSpan.Zero);
        using var ws = new BenchWorkspace(options.Root);
        // BATON_BENCH_W1R_PROVIDER=offline: the same run on the built-in offline provider (W2S's and W3S's agents), for profiling.
        var offline = Environment.GetEnvironmentVariable("BATON_BENCH_W1R_PROVIDER") == "offline";
        await File.WriteAllTextAsync(
            Path.Combine(ws.Root, "baton.yaml"),
            offline ? "providers:\n  default:\n    type: offline\n" : ProviderConfig(llm)
        );
        var engine = new RunEngine(Workspaces.Workspace.Open(ws.Root), new EngineOptions()); // the engine's own runners, as `baton run` has them
        await engine.RunAsync(
            await ws.CreateRunAsync(BenchChains.Sequential("bench-w1r-warm", 40, _ => "prompt: noop"), "warm.yaml")
        );
        var run = await ws.CreateRunAsync(BenchChains.Sequential("bench-w1r", W1Handoff.Agents, _ => "prompt: noop"));
        RunOutcome outcome;
        // CPU and allocations of the clocked run: steadier than its wall on a shared machine. The CPU includes the
        // fake's side of each call (it runs in this process), as the wall does.
        var cpu = Environment.CpuUsage.TotalTime;
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var collections = GC.CollectionCount(0);
        using (AllocationSampler.StartIfAsked())
        using (Measurements.Profiled())
            outcome = await engine.RunAsync(run);
        var cpuUs = (Environment.CpuUsage.TotalTime - cpu).TotalMicroseconds / W1Handoff.Agents;
        var allocatedKb = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / 1024.0 / W1Handoff.Agents;
        collections = GC.CollectionCount(0) - collections;
        if (outcome.Status != RunStatus.Succeeded)
            throw new InvalidOperationException($"W1R run ended {outcome.Status}: {outcome.Reason}");

        var shipped = await ShippedPerAgentUsAsync(ws.Root);

        var events = BenchWorkspace.Events(run);
        var started = events.First(e => e.Type == EventTypes.RunStarted).Time;
        var finished = events.First(e => e.Type == EventTypes.RunFinished).Time;
        var perAgent = (finished - started).TotalMicroseconds / W1Handoff.Agents;
        var fake = await llm.OverheadUsAsync();
        return new()
        {
            ["shipped_per_agent_us"] = shipped,
            ["per_agent_us"] = perAgent,
            ["fake_llm_us"] = fake,
            ["per_agent_minus_fake_us"] = shipped - fake,
            ["cpu_us_per_agent"] = cpuUs,
            ["allocated_kb_per_agent"] = allocatedKb,
            ["gen0_collections"] = collections,
            ["peak_rss_mb"] = Measurements.PeakRssMb(),
        };
    }

    /// <summary>
    /// The 200 steps through `baton run` as shipped, after a shorter run of it (the fake and the page cache warmed as
    /// for the in-process run): run.started → run.finished over 200, as its summary reports them.
    /// </summary>
    private static async Task<double> ShippedPerAgentUsAsync(string workspace)
    {
        var chains = Directory.CreateDirectory(Path.Combine(workspace, "chains")).FullName;
        await File.WriteAllTextAsync(
            Path.Combine(chains, "warm.yaml"),
            BenchChains.Sequential("bench-w1r-shipped-warm", 40, _ => "prompt: noop")
        );
        await File.WriteAllTextAsync(
            Path.Combine(chains, "w1r.yaml"),
            BenchChains.Sequential("bench-w1r-shipped", W1Handoff.Agents, _ => "prompt: noop")
        );
        await ShippedBaton.RunAsync(workspace, "chains/warm.yaml");
        using var summary = JsonDocument.Parse((await ShippedBaton.RunAsync(workspace, "chains/w1r.yaml")).Json);
        var run = summary.RootElement;
        if (run.GetProperty("status").GetString() != "succeeded")
            throw new InvalidOperationException($"W1R through baton run: {run}");
        var started = run.GetProperty("started").GetDateTimeOffset();
        var finished = run.GetProperty("finished").GetDateTimeOffset();
        return (finished - started).TotalMicroseconds / W1Handoff.Agents;
    }

    public static string ProviderConfig(FakeOpenAi llm) =>
        $"providers:\n  default:\n    type: openai\n    base_url: {llm.BaseUrl}\n    model: gpt-4o-mini\n";
}
