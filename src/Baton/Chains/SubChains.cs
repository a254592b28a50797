using Baton.Workspaces;

namespace Baton.Chains;

/// <summary>
/// What one chain file cannot check about its `chain:` agents, checked against the workspace's other chains
/// (read from chains/ below the workspace, without following links): the named chain exists and is valid,
/// takes the inputs given and gets every required one, has the `output_from` agent — and no chain calls
/// itself through others (a cycle would nest runs until the depth cap) or nests deeper than the cap.
/// `baton validate`, `baton run` and the API's PUT check this; the engine, loading a run's own snapshot, does not.
/// </summary>
public static class SubChains
{
    public static IReadOnlyList<ChainError> Check(string chainPath, Chain chain, string workspaceRoot)
    {
        var errors = new List<ChainError>();
        if (chain.Agents.All(a => a.SubChain is null))
            return errors;
        var loaded = new Dictionary<string, (Chain? Chain, string? Problem)>(StringComparer.Ordinal);
        var self = Path.GetFileNameWithoutExtension(chainPath);
        foreach (var agent in chain.Agents)
        {
            if (agent.SubChain is not { } sub)
                continue;
            void Error(string message) => errors.Add(new ChainError(chainPath, sub.Location, message));
            var where = $"agent '{agent.Name}'";
            if (sub.Chain == self)
            {
                Error(
                    $"{where} runs chain '{self}' inside itself: chains may not call each other in a cycle ({self} → {self})"
                );
                continue;
            }
            var (child, problem) = Load(workspaceRoot, sub.Chain, loaded);
            if (child is null)
            {
                Error($"{where}: {problem}");
                continue;
            }
            foreach (var name in sub.Inputs.Keys.Where(n => child.Inputs.All(i => i.Name != n)))
                Error(
                    $"{where} gives input '{name}', which chain '{sub.Chain}' does not take{KeySuggester.Hint(name, child.Inputs.Select(i => i.Name))}"
                );
            foreach (var input in child.Inputs.Where(i => i.Required && !sub.Inputs.ContainsKey(i.Name)))
                Error(
                    $"{where} must give chain '{sub.Chain}' its required input '{input.Name}': add 'inputs: {{ {input.Name}: \"...\" }}'"
                );
            if (sub.OutputFrom is { } from && child.Agent(from) is null)
                Error(
                    $"'output_from' of {where} names '{from}', which is not an agent of chain '{sub.Chain}'{KeySuggester.Hint(from, child.Agents.Select(a => a.Name))}"
                );
            var (cycle, depth) = Walk(workspaceRoot, sub.Chain, [self], loaded);
            if (cycle is not null)
                Error($"{where}: chains may not call each other in a cycle ({string.Join(" → ", cycle)})");
            else if (depth > ChainLimits.MaxSubChainDepth)
                Error(
                    $"{where}: chains nest {depth} deep through 'chain:' agents; at most {ChainLimits.MaxSubChainDepth} are allowed (docs/chains.md, Sub-chains)"
                );
        }
        return errors;
    }

    /// <summary>The first cycle found below <paramref name="name"/> (as a path of names), or how deep its nesting goes.</summary>
    private static (List<string>? Cycle, int Depth) Walk(
        string root,
        string name,
        List<string> path,
        Dictionary<string, (Chain?, string?)> loaded
    )
    {
        if (path.Contains(name))
            return ([.. path.SkipWhile(p => p != name), name], 0);
        if (path.Count > ChainLimits.MaxSubChainDepth + 1 || Load(root, name, loaded).Chain is not { } chain)
            return (null, 1);
        var depth = 1;
        foreach (var sub in chain.Agents.Select(a => a.SubChain).OfType<SubChainSpec>().Select(s => s.Chain).Distinct())
        {
            var (cycle, below) = Walk(root, sub, [.. path, name], loaded);
            if (cycle is not null)
                return (cycle, 0);
            depth = Math.Max(depth, below + 1);
        }
        return (null, depth);
    }

    private static (Chain? Chain, string? Problem) Load(
        string root,
        string name,
        Dictionary<string, (Chain?, string?)> loaded
    )
    {
        if (loaded.TryGetValue(name, out var known))
            return known;
        var relative = $"chains/{name}.yaml";
        (Chain?, string?) result;
        try
        {
            result = WorkspaceDirectory.ReadText(root, relative, ChainLimits.MaxBytes) is not { } text
                ? (null, $"there is no chain '{name}' in this workspace ({relative})")
                : (
                    Runs.ChainCache.Load(
                        Path.Combine(root, relative),
                        text,
                        ChainFiles.Reader(Path.Combine(root, relative), root)
                    ),
                    null
                );
        }
        catch (ChainValidationException e)
        {
            result = (null, $"chain '{name}' has errors ({e.Errors.Count}); see: baton validate {relative}");
        }
        catch (Exception e) when (e is IOException or Runs.UnsafePathException or ChainReferenceException)
        {
            result = (null, $"cannot read chain '{name}' ({relative}): {e.Message}");
        }
        return loaded[name] = result;
    }
}
