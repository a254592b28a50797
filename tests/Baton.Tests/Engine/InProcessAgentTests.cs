using System.Globalization;
using Baton.Agents;
using Baton.Chains;
using Baton.Runs;

namespace Baton.Tests.Engine;

/// <summary>In-process agents (LLM calls) start on their run's loop rather than on the thread pool.</summary>
public class InProcessAgentTests
{
    /// <summary>Finishes before RunAsync returns to the engine: it never awaits anything.</summary>
    private sealed class SynchronousAgent : IAgentRunner
    {
        public Task<AgentResult> RunAsync(AgentContext context, CancellationToken cancellationToken)
        {
            context.WriteOutput($"{context.Agent.Name} ok\n");
            return Task.FromResult(AgentResult.Success(exitCode: null));
        }
    }

    private static EngineOptions Options() =>
        new()
        {
            RetryBaseDelay = TestWorkspace.FastOptions().RetryBaseDelay,
            KillGrace = TestWorkspace.FastOptions().KillGrace,
            Runners = new Dictionary<AgentKind, IAgentRunner> { [AgentKind.Prompt] = new SynchronousAgent() },
        };

    [Fact]
    public async Task AnAgentThatFinishesBeforeItsStartReturns_IsNotLost()
    {
        using var ws = new TestWorkspace();
        var agents = string.Concat(Enumerable.Range(1, 30).Select(i => $"  a{i}:\n    prompt: hi\n"));
        var (run, outcome) = await ws.RunAsync($"name: sync\nagents:\n{agents}", options: Options());

        Assert.Equal(RunStatus.Succeeded, outcome.Status);
        Assert.Equal("a30 ok\n", File.ReadAllText(run.AgentOutput("a30")));
        Assert.Equal(62, TestWorkspace.Types(run).Count); // run.started, 30 × (started, done), run.finished
    }

    [Fact]
    public async Task ManyRunsAtOnce_GrowTheDescriptorTableOnce()
    {
        using var ws = new TestWorkspace();
        var runs = new List<RunFolder>();
        for (var i = 0; i < 80; i++)
            runs.Add(await ws.CreateRunAsync("name: many\nagents:\n  a:\n    prompt: hi\n"));
        var engine = new RunEngine(ws.Workspace, Options());

        var outcomes = await Task.WhenAll(runs.Select(r => engine.RunAsync(r)));

        Assert.All(outcomes, o => Assert.Equal(RunStatus.Succeeded, o.Status));
        // The kernel's table for this process: grown to 16,384 at once when 64 runs were open, not by doubling as files opened.
        var size = File.ReadLines("/proc/self/status").Single(l => l.StartsWith("FDSize:", StringComparison.Ordinal));
        Assert.True(int.Parse(size["FDSize:".Length..].Trim(), CultureInfo.InvariantCulture) >= 16384, size);
    }
}
