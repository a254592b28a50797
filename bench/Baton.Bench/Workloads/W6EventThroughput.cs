using System.Diagnostics;
using System.Text.Json;
using Baton.Agents;
using Baton.Chains;
using Baton.Runs;

namespace Baton.Bench;

/// <summary>
/// W6: custom events per second one run ingests and sequences durably. One agent emits N events
/// the way `baton emit` does (InboxWriter: temp file, fsync, rename, fsync of the folder), from
/// several writer threads at once; the engine moves them into events/ and group-commits them. The
/// clock runs from the first write until RunAsync returns, which is after the run's final commit —
/// the committer flushes in order, so every event is fsync'd by then. Only events found in events/ count.
/// </summary>
public sealed class W6EventThroughput : Workload
{
    public override string Name => "W6";
    public override string Title => "event throughput";

    public override async Task<Dictionary<string, double?>> RunAsync(ChildOptions options)
    {
        var count = options.Quick ? 3000 : 10000;
        const int writers = 16;
        using var ws = new BenchWorkspace(options.Root);
        // A `run:` agent, as scripts are what emit events (only processes get an inbox); its runner is the emitter below.
        const string chain = "name: bench-w6\nagents:\n  emitter:\n    run: emit\n";

        _ = await Measure(ws, chain, 500, writers); // warm-up
        var (elapsed, durable, emitterRate) = await Measure(ws, chain, count, writers);
        if (durable != count)
            throw new InvalidOperationException($"W6: {durable} of {count} events reached events/");
        return new()
        {
            ["events_per_s"] = durable / elapsed.TotalSeconds,
            ["writer_events_per_s"] = emitterRate,
            ["writers"] = writers,
            ["events"] = count,
        };
    }

    /// <returns>The time to all durable, the count, and the rate of the writers alone (all acknowledged by InboxWriter).</returns>
    private static async Task<(TimeSpan Elapsed, int Durable, double WriterRate)> Measure(
        BenchWorkspace ws,
        string chain,
        int count,
        int writers
    )
    {
        var emitter = new Emitter(count, writers);
        var engine = new RunEngine(
            ws.Workspace,
            new EngineOptions { Runners = new Dictionary<AgentKind, IAgentRunner> { [AgentKind.Run] = emitter } }
        );
        var run = await ws.CreateRunAsync(chain, $"w6-{count}.yaml");
        var outcome = await engine.RunAsync(run);
        var end = Stopwatch.GetTimestamp();
        if (outcome.Status != RunStatus.Succeeded)
            throw new InvalidOperationException($"W6 run ended {outcome.Status}: {outcome.Reason}");
        var durable = BenchWorkspace.Events(run).Count(e => e.Type == "emitter.tick");
        return (
            Stopwatch.GetElapsedTime(emitter.FirstWrite, end),
            durable,
            count / Stopwatch.GetElapsedTime(emitter.FirstWrite, emitter.LastWrite).TotalSeconds
        );
    }

    /// <summary>The agent: N durable inbox writes from dedicated threads (the writes block in fsync).</summary>
    private sealed class Emitter(int count, int writers) : IAgentRunner
    {
        public long FirstWrite { get; private set; }
        public long LastWrite { get; private set; }

        public async Task<AgentResult> RunAsync(AgentContext context, CancellationToken cancellationToken)
        {
            var inbox = context.Environment["BATON_INBOX"];
            var next = -1;
            FirstWrite = Stopwatch.GetTimestamp();
            var threads = Enumerable
                .Range(0, writers)
                .Select(_ =>
                    Task.Factory.StartNew(
                        () =>
                        {
                            for (int i; (i = Interlocked.Increment(ref next)) < count; )
                            {
                                var data = JsonSerializer.SerializeToElement(i);
                                // Blocking on purpose: each writer is one `baton emit` waiting for its fsyncs.
                                InboxWriter
                                    .WriteAsync(inbox, "tick", Wrap(data), cancellationToken)
                                    .GetAwaiter()
                                    .GetResult();
                            }
                        },
                        cancellationToken,
                        TaskCreationOptions.LongRunning,
                        TaskScheduler.Default
                    )
                )
                .ToArray();
            await Task.WhenAll(threads);
            LastWrite = Stopwatch.GetTimestamp();
            await File.WriteAllTextAsync(context.OutputFile, $"{count} events\n", cancellationToken);
            return AgentResult.Success(exitCode: null);
        }

        private static JsonElement Wrap(JsonElement i) =>
            JsonSerializer.SerializeToElement(new Dictionary<string, JsonElement> { ["i"] = i });
    }
}
