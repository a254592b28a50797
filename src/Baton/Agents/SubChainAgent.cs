using Baton.Runs;
using Baton.Workspaces;

namespace Baton.Agents;

/// <summary>
/// `chain: NAME`: runs another chain of the workspace as a child run (ChildRuns) and takes its output — the
/// `output_from` agent's, else that of the child's agent that finished last — and its cost, sub-chains included.
/// A child that did not succeed fails the agent with the child's own reason.
/// </summary>
public sealed class SubChainAgent : IAgentRunner
{
    public async Task<AgentResult> RunAsync(AgentContext context, CancellationToken cancellationToken)
    {
        if (context.Children is not { } children)
            return AgentResult.Failed("unsupported", "chain agents need an engine that can start child runs");
        var spec = context.Agent.SubChain!;
        RunFolder child;
        try
        {
            child = await children.FindOrCreateAsync(context, context.Resumed, cancellationToken);
        }
        catch (SubChainException e)
        {
            return AgentResult.Failed(e.Reason, e.Message);
        }
        catch (OperationCanceledException)
        {
            return AgentResult.Failed("cancelled", "cancelled before the child run started");
        }
        context.Warn?.Invoke($"{context.Agent.Name}: chain '{spec.Chain}' runs as {child.Id}");
        var state = await children.RunToEndAsync(
            child,
            $"parent {context.Run.Id} ({context.Agent.Name})",
            cancellationToken
        );
        var cost = state.Agents.Values.Sum(a => a.CostUsd);
        if (state.Status != RunStatus.Succeeded)
            return AgentResult.Failed(
                "child",
                $"chain '{spec.Chain}' (run {child.Id}) {state.Status.Wire()}{(state.FinishReason is { } why ? $": {why}" : "")}"
            ) with
            {
                CostUsd = cost,
            };
        var from = spec.OutputFrom
            ?? state
                .Agents.Values.Where(a => a.Status == AgentStatus.Done)
                .OrderBy(a => a.FinishedAt)
                .LastOrDefault()
                ?.Name;
        await using (var output = File.Create(context.OutputFile))
            if (from is not null && WorkspaceDirectory.OpenRead(child.Path, $"agents/{from}/output") is { } source)
                await using (source)
                    await source.CopyToAsync(output, CancellationToken.None);
        return AgentResult.Success() with { CostUsd = cost };
    }
}
