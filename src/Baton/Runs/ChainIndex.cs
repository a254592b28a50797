using Baton.Chains;

namespace Baton.Runs;

/// <summary>
/// A chain's agents by position, and each agent's needs as positions, built once per agent list: the planner
/// reads every agent on every event, and by position that is an array read where by name it was a hash.
/// </summary>
internal sealed class ChainIndex
{
    public IReadOnlyList<AgentSpec> Agents { get; }

    /// <summary>For each agent, the positions of its needs (-1 for a name the chain does not have: read by name).</summary>
    public int[][] Needs { get; }

    private readonly Dictionary<string, int> _positions;

    private ChainIndex(IReadOnlyList<AgentSpec> agents)
    {
        Agents = agents;
        _positions = new Dictionary<string, int>(agents.Count, StringComparer.Ordinal);
        for (var i = 0; i < agents.Count; i++)
            _positions.TryAdd(agents[i].Name, i);
        Needs = new int[agents.Count][];
        for (var i = 0; i < agents.Count; i++)
        {
            var needs = agents[i].Needs;
            var positions = new int[needs.Count];
            for (var n = 0; n < needs.Count; n++)
                positions[n] = PositionOf(needs[n]);
            Needs[i] = positions;
        }
    }

    /// <summary>The agent's position in the chain, or -1.</summary>
    public int PositionOf(string name) => _positions.TryGetValue(name, out var i) ? i : -1;

    public static ChainIndex Of(Chain chain) => Built.GetValue(chain.Agents, agents => new ChainIndex(agents));

    // Keyed by the agent list, outside the record's fields, as Chain.Agent's name index is.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<
        IReadOnlyList<AgentSpec>,
        ChainIndex
    > Built = [];
}
