using YamlDotNet.RepresentationModel;

namespace Baton.Chains;

internal sealed partial class ChainGraph
{
    /// <summary>One `on:` entry of an agent and the graph nodes any one of which can produce it (none = run.started).</summary>
    private sealed record OnEntry(AgentDraft Agent, string Type, YamlNode Node, int[] Producers);

    /// <summary>
    /// An `on:` entry that can only happen after its own agent ran (`writer` on `reviewer.rejected`,
    /// where the reviewer waits for the writer) is a loop: it can only ever start the agent again.
    /// Without `max_rounds` above 1 it never would — the run used to end "succeeded" with the loop
    /// silently not taken — so that is an error; with it, the entry is the loop's way back.
    /// And `max_rounds` on an agent with no such way back can never matter: said too, at the key.
    /// </summary>
    private void CheckLoops(List<OnEntry> entries, ChainErrorList errors)
    {
        var component = _graph.Components(_ => true, out _);
        var loops = new HashSet<AgentDraft>();
        foreach (var entry in entries)
        {
            var self = entry.Agent.Index;
            // Only a producer in the agent's own strongly connected component can depend on the agent.
            if (entry.Producers.Length == 0 || entry.Producers.Any(p => component[p] != component[self]))
                continue;
            if (_graph.AnyReadyWithout(self, entry.Producers))
                continue;
            loops.Add(entry.Agent);
            if ((entry.Agent.MaxRounds ?? 1) > 1)
                continue;
            errors.Add(
                entry.Node,
                $"agent '{entry.Agent.Name}' waits on '{entry.Type}', which can only happen after '{entry.Agent.Name}' "
                    + "has run, so it would never start it again; to loop, set 'max_rounds' (2 or more) on the agent or the chain"
            );
        }
        foreach (var agent in _agents)
            if (agent.MaxRoundsNode is { } node && agent.MaxRounds > 1 && !IsRepeatable(agent, loops, component))
                errors.Add(
                    node,
                    $"'max_rounds' of agent '{agent.Name}' has no effect: no event in its 'on:' can happen again after it ran"
                );
    }

    /// <summary>An agent runs again only through an `on:` event that can recur: it is in a loop, or waits for an agent that is.</summary>
    private bool IsRepeatable(AgentDraft agent, HashSet<AgentDraft> loops, int[] component) =>
        agent.On is { Count: > 0 }
        && loops.Any(loop => component[loop.Index] == component[agent.Index] || WaitsFor(agent.Name, loop.Name));
}
