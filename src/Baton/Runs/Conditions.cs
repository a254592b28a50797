using Baton.Chains;
using Baton.Events;

namespace Baton.Runs;

/// <summary>
/// Which `on:` event starts an agent, with its `when:` applied (docs/chains.md, Conditions): the latest
/// occurrence of each of its events is tested; `otherwise` takes an occurrence no other agent's test on
/// that event took.
/// </summary>
internal static class Conditions
{
    /// <summary>The first of the agent's `on:` events whose latest occurrence is after `after` (a sequence number) and passes its `when:`; null when none.</summary>
    public static string? Trigger(Chain chain, AgentSpec spec, RunState state, long after)
    {
        foreach (var type in spec.On)
            if (state.LastOfType.TryGetValue(type, out var e) && e.Seq > after && Passes(chain, spec, type, e))
                return type;
        return null;
    }

    public static string WhyNotTriggered(AgentSpec spec, RunState state)
    {
        var occurred = spec.On.Where(state.LastOfType.ContainsKey).ToList();
        return occurred.Count == 0 || spec.When is null
            ? $"none of its events ({string.Join(", ", spec.On)}) occurred"
            : $"its condition ({spec.When}) did not hold on {string.Join(", ", occurred.Select(t => $"'{t}'"))}";
    }

    private static bool Passes(Chain chain, AgentSpec spec, string type, RunEvent e)
    {
        if (spec.When is not { } when || !when.AppliesTo(type))
            return true;
        if (!when.IsOtherwise)
            return when.Holds(type, e.Data);
        foreach (var other in chain.Agents)
            if (
                other.When is { IsOtherwise: false } test
                && test.AppliesTo(type)
                && other.On.Contains(type)
                && test.Holds(type, e.Data)
            )
                return false;
        return true;
    }
}
