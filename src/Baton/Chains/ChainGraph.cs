namespace Baton.Chains;

/// <summary>
/// The ordering rules of SPEC §2 over all agents: resolves implicit needs, checks every `needs`
/// and `on` entry, and finds agents that can never start (cycles, waiting only on themselves).
/// Returns each agent's upstream set (every agent it transitively waits for), which decides
/// which outputs its templates may use.
/// </summary>
internal static class ChainGraph
{
    private const string RunStarted = "run.started";

    public static Dictionary<string, HashSet<string>> Check(List<AgentDraft> agents, ChainErrorList errors)
    {
        var byName = new Dictionary<string, AgentDraft>(StringComparer.Ordinal);
        foreach (var agent in agents)
        {
            byName.TryAdd(agent.Name, agent);
        }
        var emitters = agents.Where(a => a.Emits is not null).ToLookup(a => a.Emits!, a => a.Name, StringComparer.Ordinal);
        var needs = new Dictionary<string, List<string>>();
        var onSources = new Dictionary<string, List<List<string>>>();
        foreach (var agent in agents)
        {
            agent.Needs = ResolveNeeds(agent, agents, byName, errors);
            needs[agent.Name] = agent.Needs;
            onSources[agent.Name] = ResolveOn(agent, byName, emitters, errors);
        }
        var waitsFor = agents.ToDictionary(
            a => a.Name,
            a => needs[a.Name].Concat(onSources[a.Name].SelectMany(s => s)).Distinct().ToList());
        ReportNeverStarting(agents, needs, onSources, waitsFor, errors);
        return agents.ToDictionary(a => a.Name, a => Upstream(a.Name, waitsFor));
    }

    private static List<string> ResolveNeeds(AgentDraft agent, List<AgentDraft> agents,
        Dictionary<string, AgentDraft> byName, ChainErrorList errors)
    {
        if (agent.ExplicitNeeds is null)
        {
            // Implicit sequence: wait for the agent written before, unless `on` says when to start.
            return agent.On is not null || agent.Index == 0 ? [] : [agents[agent.Index - 1].Name];
        }
        var resolved = new List<string>();
        foreach (var (name, node) in agent.ExplicitNeeds)
        {
            if (name == agent.Name)
            {
                errors.Add(node, $"agent '{agent.Name}' needs itself");
            }
            else if (!byName.ContainsKey(name))
            {
                errors.Add(node, $"agent '{agent.Name}' needs unknown agent '{name}'{KeySuggester.Hint(name, byName.Keys)}");
            }
            else if (!resolved.Contains(name))
            {
                resolved.Add(name);
            }
        }
        return resolved;
    }

    /// <summary>For each valid `on` entry, the agents whose finishing can produce it (empty = run.started).</summary>
    private static List<List<string>> ResolveOn(AgentDraft agent, Dictionary<string, AgentDraft> byName,
        ILookup<string, string> emitters, ChainErrorList errors)
    {
        var sources = new List<List<string>>();
        foreach (var (type, node) in agent.On ?? [])
        {
            if (type == RunStarted)
            {
                sources.Add([]);
                continue;
            }
            var dot = type.IndexOf('.', StringComparison.Ordinal);
            var producers = emitters[type].ToList();
            // `<agent>.<event>`: engine events (done, failed, ...) or custom events a script emits.
            if (dot > 0 && dot < type.Length - 1 && byName.ContainsKey(type[..dot]) && !producers.Contains(type[..dot]))
            {
                producers.Add(type[..dot]);
            }
            if (producers.Count > 0)
            {
                sources.Add(producers);
                continue;
            }
            var known = byName.Keys.Select(n => $"{n}.done").Concat(emitters.Select(g => g.Key)).Append(RunStarted);
            errors.Add(node, $"agent '{agent.Name}' waits on '{type}' but nothing can emit '{type}'; "
                + $"use '<agent>.<event>', 'run.started' or a name some agent 'emits'{KeySuggester.Hint(type, known)}");
        }
        return sources;
    }

    /// <summary>
    /// An agent can start when all its needs can and, if it has `on` entries, at least one of them
    /// can happen. Agents left over wait on each other; report each such loop once.
    /// </summary>
    private static void ReportNeverStarting(List<AgentDraft> agents, Dictionary<string, List<string>> needs,
        Dictionary<string, List<List<string>>> onSources, Dictionary<string, List<string>> waitsFor, ChainErrorList errors)
    {
        var canStart = new HashSet<string>(StringComparer.Ordinal);
        bool changed;
        do
        {
            changed = false;
            foreach (var agent in agents.Where(a => !canStart.Contains(a.Name)))
            {
                var ready = needs[agent.Name].All(canStart.Contains)
                    && (agent.On is null || (agent.On.Count == 0 && onSources[agent.Name].Count == 0)
                        || onSources[agent.Name].Any(producers => producers.Count == 0 || producers.Any(canStart.Contains)));
                if (ready && canStart.Add(agent.Name))
                {
                    changed = true;
                }
            }
        }
        while (changed);

        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var agent in agents.Where(a => !canStart.Contains(a.Name) && !reported.Contains(a.Name)))
        {
            if (FindCycle(agent.Name, waitsFor, canStart) is not { } cycle)
            {
                continue; // waits on a broken entry or on a looping agent; that one is reported
            }
            reported.UnionWith(cycle);
            var message = cycle.Count == 1
                ? $"agent '{agent.Name}' can never start: it waits only on itself"
                : $"cycle: {string.Join(" -> ", cycle.Append(cycle[0]))} (each agent waits for the next, so none can start)";
            errors.Add(agent.Location, message);
        }
    }

    /// <summary>A path start -> ... -> start through agents that cannot start, or null.</summary>
    private static List<string>? FindCycle(string start, Dictionary<string, List<string>> waitsFor, HashSet<string> canStart)
    {
        var path = new List<string> { start };
        var visited = new HashSet<string>(StringComparer.Ordinal) { start };
        return Walk(start);

        List<string>? Walk(string current)
        {
            foreach (var next in waitsFor[current].Where(n => !canStart.Contains(n)))
            {
                if (next == start)
                {
                    return [.. path];
                }
                if (visited.Add(next))
                {
                    path.Add(next);
                    if (Walk(next) is { } found)
                    {
                        return found;
                    }
                    path.RemoveAt(path.Count - 1);
                }
            }
            return null;
        }
    }

    private static HashSet<string> Upstream(string name, Dictionary<string, List<string>> waitsFor)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(waitsFor[name]);
        while (pending.TryPop(out var next))
        {
            if (seen.Add(next))
            {
                foreach (var further in waitsFor[next])
                {
                    pending.Push(further);
                }
            }
        }
        return seen;
    }
}
