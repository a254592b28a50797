using Baton.Chains;
using Baton.Events;

namespace Baton.Runs;

internal sealed partial class RunLoop
{
    /// <summary>
    /// A `stop:` agent runs nothing: it is done at once and asks the run to end (`run.stop`). The planner
    /// then winds the run down as for a cancel — running agents cancelled, pending ones skipped — but the
    /// run finishes as it stands (succeeded unless an agent failed), with the stop's reason.
    /// </summary>
    private void StopRun(AgentSpec spec, int attempt)
    {
        Append(EventTypes.For(spec.Name, EventTypes.Started), spec.Name, attempt, null);
        Append(EventTypes.For(spec.Name, EventTypes.Done), spec.Name, attempt, null);
        Append(EventTypes.RunStop, null, 0, EventJson.Data(("by", spec.Name), ("reason", spec.Stop)));
    }
}
