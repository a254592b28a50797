namespace Baton.Chains;

/// <summary>
/// Who waits for whom, as ChainGraph builds it. Nodes 0..agents-1 are agents; further nodes are
/// event names that several agents may emit (such a node has happened once any emitter could
/// start). An agent's edges are its needs (all must be able to start) and its `on` sources (one
/// suffices). Every algorithm here is one pass over nodes and edges.
/// </summary>
internal sealed class WaitGraph(int agents)
{
    private readonly List<List<int>> _waitsFor = [.. Enumerable.Range(0, agents).Select(_ => new List<int>())];
    private readonly List<List<int>> _needs = [.. Enumerable.Range(0, agents).Select(_ => new List<int>())];
    private readonly List<int> _pendingNeeds = [.. new int[agents]];
    private readonly List<bool> _anyOfRequired = [.. new bool[agents]];
    private readonly List<bool> _anyOfMet = [.. new bool[agents]];
    private readonly List<List<int>> _needDependents = [.. Enumerable.Range(0, agents).Select(_ => new List<int>())];
    private readonly List<List<int>> _anyOfDependents = [.. Enumerable.Range(0, agents).Select(_ => new List<int>())];
    private int[]? _components;
    private (int[] Order, int[] FirstSource)? _readiness;

    public int Count => _waitsFor.Count;

    public bool IsAgent(int node) => node < agents;

    public void AddNeed(int agent, int need)
    {
        _waitsFor[agent].Add(need);
        _needs[agent].Add(need);
        _pendingNeeds[agent]++;
        _needDependents[need].Add(agent);
    }

    /// <summary>The agent has `on` entries: one of its sources must be able to happen.</summary>
    public void RequireAnyOf(int agent) => _anyOfRequired[agent] = true;

    /// <summary>One `on` entry: any of these nodes suffices; none at all (run.started) always happens.</summary>
    public void AddOnSource(int agent, int[] nodes)
    {
        if (nodes.Length == 0)
            _anyOfMet[agent] = true;
        foreach (var node in nodes)
        {
            _waitsFor[agent].Add(node); // a repeated edge changes no answer here, so none is looked for
            _anyOfDependents[node].Add(agent);
        }
    }

    public int AddEvent(List<int> emitters)
    {
        var node = Count;
        _waitsFor.Add([.. emitters]);
        _needs.Add([]);
        _pendingNeeds.Add(0);
        _anyOfRequired.Add(true);
        _anyOfMet.Add(false);
        _needDependents.Add([]);
        _anyOfDependents.Add([]);
        foreach (var emitter in emitters)
            _anyOfDependents[emitter].Add(node);
        return node;
    }

    /// <summary>Which nodes can ever start (or happen): propagated from the ones that wait for nothing.</summary>
    public bool[] Ready()
    {
        var ready = new bool[Count];
        Propagate(without: -1, ready, stop: _ => false);
        return ready;
    }

    /// <summary>
    /// Whether any of `nodes` can start (or happen) if agent `without` never runs; when none can, they can only happen
    /// after it ran. Ready's propagation made each node ready from its needs and the first of its `on` sources that
    /// was, all made ready before it; a node whose derivation does not reach `without` is ready without it — known
    /// by walking that derivation back, not the whole graph. Only when every derivation found rests on `without` (a
    /// loop's way back) is the propagation run without it, stopped at the first of `nodes` reached.
    /// </summary>
    public bool AnyReadyWithout(int without, int[] nodes)
    {
        var (order, firstSource) = _readiness ??= Readiness();
        var ready = nodes.Where(node => order[node] >= 0).ToList();
        if (ready.Count == 0)
            return false; // never ready at all
        if (ready.Any(node => !RestsOn(node, without, order, firstSource)))
            return true;
        var wanted = new bool[Count];
        foreach (var node in nodes)
            wanted[node] = true;
        return Propagate(without, new bool[Count], stop: node => wanted[node]);
    }

    /// <summary>Whether `node`'s derivation in Ready's propagation used `agent` (only nodes made ready after it can have).</summary>
    private bool RestsOn(int node, int agent, int[] order, int[] firstSource)
    {
        if (order[agent] < 0)
            return false;
        var seen = new HashSet<int>();
        var walk = new Stack<int>();
        walk.Push(node);
        while (walk.TryPop(out var next))
        {
            if (next == agent)
                return true;
            if (order[next] < order[agent] || !seen.Add(next))
                continue;
            foreach (var need in _needs[next])
                walk.Push(need);
            if (firstSource[next] >= 0)
                walk.Push(firstSource[next]);
        }
        return false;
    }

    /// <summary>
    /// Ready's propagation, remembered: each node's place in it (-1: never ready) and the `on` source that first
    /// counted for it (-1: none, or run.started).
    /// </summary>
    private (int[] Order, int[] FirstSource) Readiness()
    {
        var order = new int[Count];
        var firstSource = new int[Count];
        Array.Fill(order, -1);
        Array.Fill(firstSource, -1);
        var next = 0;
        Propagate(
            without: -1,
            new bool[Count],
            stop: node =>
            {
                order[node] = next++;
                return false;
            },
            firstSource
        );
        return (order, firstSource);
    }

    /// <summary>Ready's propagation; answers true at the first node made ready that `stop` accepts.</summary>
    private bool Propagate(int without, bool[] ready, Func<int, bool> stop, int[]? firstSource = null)
    {
        var pending = _pendingNeeds.ToArray();
        var met = _anyOfMet.ToArray();
        var queue = new Queue<int>();
        bool MadeReadyAndStop(int node)
        {
            if (ready[node] || node == without || pending[node] != 0 || (_anyOfRequired[node] && !met[node]))
                return false;
            ready[node] = true;
            queue.Enqueue(node);
            return stop(node);
        }
        for (var node = 0; node < Count; node++)
            if (MadeReadyAndStop(node))
                return true;
        while (queue.TryDequeue(out var node))
        {
            foreach (var dependent in _needDependents[node])
            {
                pending[dependent]--;
                if (MadeReadyAndStop(dependent))
                    return true;
            }
            foreach (var dependent in _anyOfDependents[node])
            {
                if (firstSource is not null && !met[dependent])
                    firstSource[dependent] = node;
                met[dependent] = true;
                if (MadeReadyAndStop(dependent))
                    return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Strongly connected components (Tarjan, iterative) of the nodes `include` accepts; -1 for the
    /// others. Numbered so that a component only waits for components with smaller numbers.
    /// </summary>
    public int[] Components(Func<int, bool> include, out int count)
    {
        var order = new int[Count];
        var low = new int[Count];
        var component = new int[Count];
        Array.Fill(order, -1);
        Array.Fill(component, -1);
        var onStack = new bool[Count];
        var stack = new Stack<int>();
        var calls = new Stack<(int Node, int Edge)>();
        int next = 0,
            found = 0;
        for (var root = 0; root < Count; root++)
        {
            if (!include(root) || order[root] >= 0)
                continue;
            Visit(root);
            while (calls.TryPop(out var call))
            {
                var (node, edge) = call;
                if (edge < _waitsFor[node].Count)
                {
                    calls.Push((node, edge + 1));
                    var target = _waitsFor[node][edge];
                    if (!include(target))
                        continue;
                    if (order[target] < 0)
                        Visit(target);
                    else if (onStack[target])
                        low[node] = Math.Min(low[node], order[target]);
                    continue;
                }
                if (low[node] == order[node])
                {
                    int member;
                    do
                    {
                        member = stack.Pop();
                        onStack[member] = false;
                        component[member] = found;
                    } while (member != node);
                    found++;
                }
                if (calls.TryPeek(out var parent))
                    low[parent.Node] = Math.Min(low[parent.Node], low[node]);
            }
        }
        count = found;
        return component;

        void Visit(int node)
        {
            order[node] = low[node] = next++;
            stack.Push(node);
            onStack[node] = true;
            calls.Push((node, 0));
        }
    }

    /// <summary>A path start → … → start inside start's component (depth first, edges in order), or null.</summary>
    public List<int>? FindLoop(int start, int[] component)
    {
        var path = new List<int> { start };
        var visited = new HashSet<int> { start };
        var edges = new Stack<int>([0]);
        while (edges.TryPop(out var edge))
        {
            var node = path[^1];
            if (edge >= _waitsFor[node].Count)
            {
                path.RemoveAt(path.Count - 1);
                continue;
            }
            edges.Push(edge + 1);
            var next = _waitsFor[node][edge];
            if (next == start)
                return path;
            if (component[next] != component[start] || !visited.Add(next))
                continue;
            path.Add(next);
            edges.Push(0);
        }
        return null;
    }

    public int ComponentOf(int node) => _components![node];

    /// <summary>
    /// For each component of the whole graph, the agents it transitively waits for, one bit each.
    /// Components come sinks first, so each is the union of those it waits for, computed once:
    /// nodes × edges / 64 word operations, a few milliseconds at the chain size cap (ChainLimits).
    /// </summary>
    public ulong[][] UpstreamAgents()
    {
        _components = Components(_ => true, out var count);
        var members = new List<int>[count];
        for (var node = 0; node < Count; node++)
            (members[_components[node]] ??= []).Add(node);
        var words = (agents + 63) / 64;
        var upstream = new ulong[count][];
        for (var c = 0; c < count; c++)
        {
            var bits = upstream[c] = new ulong[words];
            var cyclic = members[c].Count > 1;
            foreach (var node in members[c])
            foreach (var target in _waitsFor[node])
            {
                var other = _components[target];
                if (other == c)
                {
                    cyclic = true;
                    continue;
                }
                var from = upstream[other];
                for (var w = 0; w < words; w++)
                    bits[w] |= from[w];
                if (IsAgent(target))
                    bits[target >> 6] |= 1UL << (target & 63);
            }
            if (cyclic)
                foreach (var node in members[c].Where(IsAgent))
                    bits[node >> 6] |= 1UL << (node & 63);
        }
        return upstream;
    }
}
