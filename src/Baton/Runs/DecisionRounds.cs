using Baton.Chains;

namespace Baton.Runs;

/// <summary>What "request changes" re-runs: the on_changes agent, every agent between it and the decision, and the decision.</summary>
public static class DecisionRounds
{
    public static IReadOnlyList<string> RerunSet(Chain chain, AgentSpec decision)
    {
        var start = decision.Decision?.OnChanges;
        if (start is null)
            return [decision.Name];
        var downstreamOfStart = Reachable(chain, start, Downstream(chain));
        var upstreamOfDecision = Reachable(chain, decision.Name, Upstream(chain));
        return
        [
            .. chain
                .Agents.Select(a => a.Name)
                .Where(n => downstreamOfStart.Contains(n) && upstreamOfDecision.Contains(n)),
        ];
    }

    private static Dictionary<string, List<string>> Upstream(Chain chain) =>
        chain.Agents.ToDictionary(
            a => a.Name,
            a =>
                a.Needs.Concat(a.On.Select(e => e.Split('.')[0]))
                    .Where(n => chain.Agent(n) is not null)
                    .Concat(a.On.SelectMany(e => chain.Agents.Where(x => x.Emits == e).Select(x => x.Name)))
                    .Distinct()
                    .ToList()
        );

    private static Dictionary<string, List<string>> Downstream(Chain chain)
    {
        var down = chain.Agents.ToDictionary(a => a.Name, _ => new List<string>());
        foreach (var (name, ups) in Upstream(chain))
        foreach (var up in ups)
            down[up].Add(name);
        return down;
    }

    private static HashSet<string> Reachable(Chain chain, string from, Dictionary<string, List<string>> edges)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { from };
        var queue = new Queue<string>([from]);
        while (queue.TryDequeue(out var next))
            foreach (var n in edges.GetValueOrDefault(next, []))
                if (seen.Add(n))
                    queue.Enqueue(n);
        return seen;
    }
}
