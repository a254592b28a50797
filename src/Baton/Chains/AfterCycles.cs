namespace Baton.Chains;

/// <summary>
/// Chains of a workspace that would start each other forever through `after:` triggers (a after b, b after
/// a). One chain file cannot see it — it takes the workspace's chains together — so the server refuses to
/// fire those triggers and `baton triggers` reports them.
/// </summary>
public static class AfterCycles
{
    /// <summary>The names of chains on a cycle of `after:` triggers.</summary>
    public static IReadOnlySet<string> Find(IEnumerable<Chain> chains)
    {
        // Edge: finished chain -> chain its finishing starts.
        var starts = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var chain in chains)
        foreach (var after in chain.Triggers.OfType<AfterTrigger>())
        {
            if (!starts.TryGetValue(after.Chain, out var next))
                starts[after.Chain] = next = [];
            next.Add(chain.Name);
        }
        var onCycle = new HashSet<string>(StringComparer.Ordinal);
        foreach (var start in starts.Keys)
            if (Reaches(starts, start, start))
                onCycle.Add(start);
        return onCycle;
    }

    private static bool Reaches(Dictionary<string, List<string>> starts, string from, string target)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>(starts.GetValueOrDefault(from) ?? []);
        while (stack.TryPop(out var chain))
        {
            if (chain == target)
                return true;
            if (seen.Add(chain))
                foreach (var next in starts.GetValueOrDefault(chain) ?? [])
                    stack.Push(next);
        }
        return false;
    }
}
