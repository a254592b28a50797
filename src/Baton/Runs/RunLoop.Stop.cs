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
        Append(new AgentStarted(), spec.Name, attempt);
        Append(new AgentDone(""), spec.Name, attempt);
        Append(new RunStop(spec.Name, spec.Stop));
    }
}
