using Baton.Agents;
using Baton.Chains;
using Baton.Events;
using Baton.Runs;

namespace Baton.Bench;

/// <summary>
/// W1: one run of a 200-agent sequential chain of no-op prompt agents. The hand-off is read from
/// the event timestamps: `a.done` written → next agent started (folded, planned, its folder made)
/// → `b.started` stamped. We also report the whole run divided by its agents, which adds each
/// agent's own start/finish round trip (the started and done events, the task, the signal).
/// </summary>
public sealed class W1Handoff : Workload
{
    public const int Agents = 200;
    public override string Name => "W1";
    public override string Title => "hand-off";

    public override async Task<Dictionary<string, double?>> RunAsync(ChildOptions options)
    {
        using var ws = new BenchWorkspace(options.Root);
        var engine = new RunEngine(ws.Workspace, Options());
        // Warm-up (JIT, first-use costs) on a short chain, then the measured run.
        await engine.RunAsync(
            await ws.CreateRunAsync(BenchChains.Sequential("bench-w1-warm", 20, _ => "prompt: noop"), "warm.yaml")
        );
        var run = await ws.CreateRunAsync(BenchChains.Sequential("bench-w1", Agents, _ => "prompt: noop"));
        RunOutcome outcome;
        using (Measurements.Profiled())
            outcome = await engine.RunAsync(run);
        if (outcome.Status != RunStatus.Succeeded)
            throw new InvalidOperationException($"W1 run ended {outcome.Status}: {outcome.Reason}");

        var events = BenchWorkspace.Events(run);
        var gaps = new List<double>();
        for (var i = 1; i < events.Count; i++)
            if (
                events[i].Type.EndsWith(".started", StringComparison.Ordinal)
                && events[i - 1].Type.EndsWith(".done", StringComparison.Ordinal)
            )
                gaps.Add((events[i].Time - events[i - 1].Time).TotalMicroseconds);
        var started = events.First(e => e.Type == EventTypes.RunStarted).Time;
        var finished = events.First(e => e.Type == EventTypes.RunFinished).Time;
        return new()
        {
            ["handoff_us"] = Measurements.Median(gaps),
            ["per_agent_us"] = (finished - started).TotalMicroseconds / Agents,
            ["peak_rss_mb"] = Measurements.PeakRssMb(),
        };
    }

    internal static EngineOptions Options(Func<string, TimeSpan>? latency = null) =>
        new()
        {
            Runners = new Dictionary<AgentKind, IAgentRunner>
            {
                [AgentKind.Prompt] = new FakePromptAgent(latency ?? (_ => TimeSpan.Zero)),
                [AgentKind.Run] = new BashAgent(),
            },
        };
}
