using Baton.Agents;

namespace Baton.Bench;

/// <summary>
/// Stands in for an LLM call: waits the agent's latency (none: returns at once) and writes an
/// output file. It is registered as the engine's runner for `prompt:` agents, so the numbers
/// measure the engine and the disk, not the HTTP provider layer (which it bypasses).
/// </summary>
public sealed class FakePromptAgent(Func<string, TimeSpan> latency) : IAgentRunner
{
    private const string Reply = "[fake] ok\n";

    public async Task<AgentResult> RunAsync(AgentContext context, CancellationToken cancellationToken)
    {
        var delay = latency(context.Agent.Name);
        if (delay > TimeSpan.Zero)
            await Task.Delay(delay, cancellationToken);
        context.WriteOutput(Reply); // as PromptAgent does
        return AgentResult.Success(exitCode: null);
    }
}
