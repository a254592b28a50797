using Baton.Agents;
using Baton.Chains;
using Baton.Events;

namespace Baton.Runs;

internal sealed partial class RunLoop
{
    /// <summary>
    /// `emits: {events: [...], required: true}`: an agent that exited 0 without emitting one of its events
    /// did not do its job (Mentiko counts an agent done only once it emitted its event). Its attempt fails,
    /// and is retried like any failure. Its inbox was read just before, so what it emitted is known.
    /// </summary>
    private AgentResult RequireChosenEvent(AgentSpec spec, AgentResult result)
    {
        if (!result.Succeeded || !spec.EmitsRequired)
            return result;
        var startedSeq = _state.Agent(spec.Name).StartedSeq;
        foreach (var chosen in spec.ChosenEvents)
            if (_state.LastOfType.TryGetValue(EventTypes.For(spec.Name, chosen), out var e) && e.Seq > startedSeq)
                return result;
        return AgentResult.Failed(
            "missing-event",
            $"exited 0 without emitting any of its required events ({string.Join(", ", spec.ChosenEvents)})"
        ) with
        {
            ExitCode = result.ExitCode,
            CostUsd = result.CostUsd,
            Tokens = result.Tokens,
        };
    }
}
