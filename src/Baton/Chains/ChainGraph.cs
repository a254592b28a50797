namespace Baton.Chains;

/// <summary>
/// The ordering rules of SPEC §2 over all agents: resolves implicit needs, checks every `needs`
/// and `on` entry, finds agents that can never start (cycles, waiting only on themselves), and
/// answers which agents one transitively waits for (which outputs its templates may use).
/// Linear in agents plus entries: an event name several agents emit is one node that waits for
/// its emitters, not an edge from every listener to every emitter; readiness is propagated once
/// (WaitGraph.Ready); cycles come from strongly connected components (WaitGraph.Components).
/// </summary>
internal sealed partial class ChainGraph
{
    private const string RunStarted = "run.started";

    private readonly List<AgentDraft> _agents;
    private readonly Dictionary<string, int> _index;
    private readonly WaitGraph _graph;
    private ulong[][]? _upstream; // per component of the whole graph, a bit per agent: built on first use

    private ChainGraph(List<AgentDraft> agents, Dictionary<string, int> index, WaitGraph graph)
    {
        _agents = agents;
        _index = index;
        _graph = graph;
    }

    public static ChainGraph Check(List<AgentDraft> agents, ChainErrorList errors)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var agent in agents)
            index.TryAdd(agent.Name, agent.Index);
        var graph = new WaitGraph(agents.Count);
        var emitters = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        foreach (var agent in agents)
            if (agent.Emits is { } emits)
            {
                if (!emitters.TryGetValue(emits, out var list))
                    emitters[emits] = list = [];
                list.Add(agent.Index);
            }
        var eventNodes = new Dictionary<string, int>(StringComparer.Ordinal);
        var onEntries = new List<OnEntry>();
        foreach (var agent in agents)
        {
            agent.Needs = ResolveNeeds(agent, agents, index, errors);
            foreach (var need in agent.Needs)
                graph.AddNeed(agent.Index, index[need]);
            if (agent.On is { Count: > 0 } || agent.Quorum is not null)
                graph.RequireAnyOf(agent.Index);
            // A quorum is an any-of here: one entry that can happen is enough for "can start" and cycle checks.
            var waits = (agent.On ?? []).Concat(agent.Quorum?.Of ?? []);
            foreach (var entry in ResolveOn(agent, waits, index, emitters, eventNodes, graph, errors, agents))
            {
                graph.AddOnSource(agent.Index, entry.Producers);
                onEntries.Add(entry);
            }
        }
        var checker = new ChainGraph(agents, index, graph);
        var errorsBefore = errors.Count;
        checker.ReportNeverStarting(errors);
        if (errors.Count == errorsBefore)
            checker.CheckLoops(onEntries, errors);
        return checker;
    }

    /// <summary>Does `agent` transitively wait for `other` (so other's output exists when agent renders)?</summary>
    public bool WaitsFor(string agent, string other)
    {
        _upstream ??= _graph.UpstreamAgents();
        var bit = _index[other];
        return (_upstream[_graph.ComponentOf(_index[agent])][bit >> 6] & (1UL << (bit & 63))) != 0;
    }

    private static List<string> ResolveNeeds(
        AgentDraft agent,
        List<AgentDraft> agents,
        Dictionary<string, int> index,
        ChainErrorList errors
    )
    {
        if (agent.ExplicitNeeds is null)
        {
            // Implicit sequence: wait for the agent written before, unless `on` says when to start.
            return agent.On is not null || agent.Index == 0 ? [] : [agents[agent.Index - 1].Name];
        }
        var resolved = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, node) in agent.ExplicitNeeds)
        {
            if (name == agent.Name)
                errors.Add(node, $"agent '{agent.Name}' needs itself");
            else if (!index.ContainsKey(name))
                errors.Add(node, $"agent '{agent.Name}' needs unknown agent '{name}'{errors.Hint(name, index.Keys)}");
            else if (seen.Add(name))
                resolved.Add(name);
        }
        return resolved;
    }

    /// <summary>
    /// For each valid `on` entry, the nodes any one of which can produce it: the node of an event
    /// name some agents emit, and/or the agent of `&lt;agent&gt;.&lt;event&gt;` (empty = run.started).
    /// </summary>
    private static List<OnEntry> ResolveOn(
        AgentDraft agent,
        IEnumerable<(string Event, YamlDotNet.RepresentationModel.YamlNode Node)> waits,
        Dictionary<string, int> index,
        Dictionary<string, List<int>> emitters,
        Dictionary<string, int> eventNodes,
        WaitGraph graph,
        ChainErrorList errors,
        List<AgentDraft> agents
    )
    {
        var sources = new List<OnEntry>();
        foreach (var (type, node) in waits)
        {
            if (type == RunStarted)
            {
                sources.Add(new OnEntry(agent, type, node, []));
                continue;
            }
            var producers = new List<int>(2);
            if (emitters.TryGetValue(type, out var emitting))
            {
                if (!eventNodes.TryGetValue(type, out var eventNode))
                    eventNodes[type] = eventNode = graph.AddEvent(emitting);
                producers.Add(eventNode);
            }
            // `<agent>.<event>`: engine events (done, failed, ...) or custom events a script emits.
            var dot = type.IndexOf('.', StringComparison.Ordinal);
            if (
                dot > 0
                && index.TryGetValue(type[..dot], out var declaring)
                && agents[declaring].ChosenEvents is { Count: > 0 } chosen
                && type[(dot + 1)..] is var suffix
                && !Events.EventTypes.IsEngineSuffix(suffix)
                && !chosen.Contains(suffix)
                && agents[declaring].Emits != type
            )
            {
                errors.Add(
                    node,
                    $"agent '{agent.Name}' waits on '{type}', but agent '{type[..dot]}' emits only [{string.Join(", ", chosen)}]"
                        + errors.Hint(suffix, chosen)
                );
                sources.Add(new OnEntry(agent, type, node, [declaring]));
                continue;
            }
            if (
                dot > 0
                && dot < type.Length - 1
                && index.TryGetValue(type[..dot], out var owner)
                && agents[owner].Emits != type
            )
                producers.Add(owner);
            if (producers.Count > 0)
            {
                sources.Add(new OnEntry(agent, type, node, [.. producers]));
                continue;
            }
            var known = index.Keys.Select(n => $"{n}.done").Concat(emitters.Keys).Append(RunStarted);
            errors.Add(
                node,
                $"agent '{agent.Name}' waits on '{type}' but nothing can emit '{type}'; "
                    + $"use '<agent>.<event>', 'run.started' or a name some agent 'emits'{errors.Hint(type, known)}"
            );
        }
        return sources;
    }

    /// <summary>
    /// An agent can start when all its needs can and, if it has `on` entries, at least one of them
    /// can happen. Agents left over wait on each other or on a broken entry; each loop among them is
    /// reported once, as a path through the first of its agents in the file.
    /// </summary>
    private void ReportNeverStarting(ChainErrorList errors)
    {
        var ready = _graph.Ready();
        bool Stuck(int node) => !ready[node];
        var component = _graph.Components(Stuck, out _);
        var reported = new HashSet<int>();
        foreach (var agent in _agents)
        {
            var c = component[agent.Index];
            if (c < 0 || reported.Contains(c) || _graph.FindLoop(agent.Index, component) is not { } loop)
                continue;
            reported.Add(c);
            var names = loop.Where(_graph.IsAgent).Select(n => _agents[n].Name).ToList();
            errors.Add(
                agent.Location,
                names.Count == 1
                    ? $"agent '{agent.Name}' can never start: it waits only on itself"
                    : $"cycle: {string.Join(" -> ", names.Append(names[0]))} (each agent waits for the next, so none can start)"
            );
        }
    }
}
