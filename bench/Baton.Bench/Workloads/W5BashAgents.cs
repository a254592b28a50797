using System.Diagnostics;
using Baton.Agents;
using Baton.Agents.Processes;
using Baton.Events;
using Baton.Runs;

namespace Baton.Bench;

/// <summary>
/// W5: 200 sequential `run: "true"` agents. Per agent = run wall time (run.started → run.finished
/// event timestamps) / 200; the overhead is that minus the median time of a bare `bash -c true`
/// spawned and reaped the same way (posix_spawn through ProcessLauncher) in the same process.
/// </summary>
public sealed class W5BashAgents : Workload
{
    public const int Agents = 200;
    public override string Name => "W5";
    public override string Title => "bash agents";

    public override async Task<Dictionary<string, double?>> RunAsync(ChildOptions options)
    {
        var count = options.Quick ? 100 : Agents;
        using var ws = new BenchWorkspace(options.Root);
        var engine = new RunEngine(ws.Workspace, new EngineOptions());
        await engine.RunAsync(
            await ws.CreateRunAsync(BenchChains.Sequential("bench-w5-warm", 10, _ => "run: \"true\""), "warm.yaml")
        );
        var run = await ws.CreateRunAsync(BenchChains.Sequential("bench-w5", count, _ => "run: \"true\""));
        var outcome = await engine.RunAsync(run);
        if (outcome.Status != RunStatus.Succeeded)
            throw new InvalidOperationException($"W5 run ended {outcome.Status}: {outcome.Reason}");
        var events = BenchWorkspace.Events(run);
        var wall =
            events.First(e => e.Type == EventTypes.RunFinished).Time
            - events.First(e => e.Type == EventTypes.RunStarted).Time;
        var perAgent = wall.TotalMilliseconds / count;

        var bare = new List<double>();
        var dir = Path.Combine(ws.Root, "bare");
        Directory.CreateDirectory(dir);
        var env = AgentEnvironment.FromCurrentProcess();
        for (var i = 0; i < count + 10; i++)
        {
            var clock = Stopwatch.StartNew();
            var child = ProcessLauncher.Start(
                new ProcessSpec("bash", ["-c", "true"], dir, env, Path.Combine(dir, "out"), Path.Combine(dir, "err"))
            );
            await child.Exited;
            if (i >= 10)
                bare.Add(clock.Elapsed.TotalMilliseconds); // the first few warm up the launcher
        }
        var bareMedian = Measurements.Median(bare);
        return new()
        {
            ["overhead_ms"] = perAgent - bareMedian,
            ["per_agent_ms"] = perAgent,
            ["bare_bash_ms"] = bareMedian,
        };
    }
}
