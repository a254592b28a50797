using Baton.Chains;

namespace Baton.Runs;

/// <summary>
/// The planner's loop rules (docs/chains.md, Loops): an agent with `max_rounds` above 1 that is done
/// runs again when one of its `on:` events occurs after it last started, until its rounds are used up.
/// An event that would have started one round more fails the run: a loop that did not converge
/// (a reviewer still rejecting) must not end as a success.
/// </summary>
internal static class Loops
{
    public static bool WantsNextRound(Chain chain, AgentSpec spec, AgentState agent, RunState state) =>
        spec.MaxRounds > 1
        && spec.Kind != AgentKind.Decision
        && agent.Round < spec.MaxRounds
        && Conditions.Trigger(chain, spec, state, after: agent.StartedSeq) is not null;

    public static bool NeedsDone(AgentSpec spec, RunState state)
    {
        foreach (var need in spec.Needs)
            if (state.Agent(need).Status != AgentStatus.Done)
                return false;
        return true;
    }

    /// <summary>Why the run fails when an agent was asked for a round beyond its max_rounds; null when none was.</summary>
    public static string? Exhausted(Chain chain, RunState state)
    {
        foreach (var spec in chain.Agents)
        {
            var agent = state.Agent(spec.Name);
            if (
                spec.MaxRounds > 1
                && spec.Kind != AgentKind.Decision
                && agent.Status == AgentStatus.Done
                && agent.Round >= spec.MaxRounds
                && Conditions.Trigger(chain, spec, state, after: agent.StartedSeq) is { } trigger
            )
                return $"agent '{spec.Name}' ran its max_rounds ({spec.MaxRounds}) and '{trigger}' asked for one more";
        }
        return null;
    }
}
