using System.Text;

namespace Baton.Chains;

/// <summary>
/// `baton run --dry-run`: the order agents can start in, as steps — step 1 starts with the run, each later
/// agent one step after the latest agent whose event it waits for. A loop's way back does not move an agent
/// later; it is named as a loop. Nothing runs and nothing is written.
/// </summary>
public static class ChainPlan
{
    public static IReadOnlyList<(int Step, AgentSpec Agent)> Steps(Chain chain)
    {
        var sources = ChainDrawing
            .Edges(chain)
            .GroupBy(e => e.To)
            .ToDictionary(g => g.Key, g => g.Select(e => e.From).OfType<string>().Distinct().ToList());
        var steps = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var agent in chain.Agents.Where(a => !sources.ContainsKey(a.Name)))
            steps[agent.Name] = 1;
        // Place an agent once all its sources are placed; when none can be (a loop), place the first one
        // with any placed source, counting only those — the back edge of the loop is then ignored.
        while (steps.Count < chain.Agents.Count)
        {
            var open = chain.Agents.Where(a => !steps.ContainsKey(a.Name)).ToList();
            var ready = open.FirstOrDefault(a => sources[a.Name].All(steps.ContainsKey))
                ?? open.FirstOrDefault(a => sources[a.Name].Any(steps.ContainsKey))
                ?? open[0];
            var placed = sources[ready.Name].Where(steps.ContainsKey).Select(s => steps[s]).DefaultIfEmpty(0).Max();
            steps[ready.Name] = placed + 1;
        }
        return chain.Agents.Select(a => (steps[a.Name], a)).OrderBy(p => p.Item1).ToList();
    }

    public static string Text(Chain chain, IReadOnlyDictionary<string, string> inputs)
    {
        var text = new StringBuilder($"dry run of chain {chain.Name}: nothing runs, no run folder is made\n");
        foreach (var input in chain.Inputs)
        {
            var value = inputs.TryGetValue(input.Name, out var given) ? given : input.Default;
            text.AppendLine($"  input {input.Name} = {value ?? "(missing: required)"}");
        }
        foreach (var group in Steps(chain).GroupBy(s => s.Step))
        {
            text.AppendLine($"step {group.Key}:");
            foreach (var (_, agent) in group)
            {
                text.AppendLine(
                    $"  {agent.Name} [{agent.Kind.ToString().ToLowerInvariant()}]: {ChainDrawing.StartedBy(agent)}"
                );
                if (ChainDrawing.Notes(agent) is { Length: > 0 } notes)
                    text.AppendLine($"      {notes}");
            }
        }
        return text.ToString();
    }
}
