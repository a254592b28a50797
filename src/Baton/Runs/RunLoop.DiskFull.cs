using Baton.Events;

namespace Baton.Runs;

internal sealed partial class RunLoop
{
    /// <summary>
    /// The disk (or quota) is full: nothing more of this run can be trusted to land. Every agent is stopped, the
    /// workspace's reserve is freed for the run's last words, and the agents that were running fail with reason
    /// <c>disk</c>, then the run (no retries: a retry would only fill the disk again). When even that can't be
    /// written, the run is stalled: the host shows it (OnDiskStall) and the engine tries again, less and less
    /// often, until space is freed — no hand edits. A restart meanwhile finds the agent still "running" and, on a
    /// disk still full, can't write its re-start either, so it ends up here again instead of re-running it.
    /// </summary>
    private async Task<RunOutcome> FailOnFullDiskAsync(string message, CancellationToken cancelRun)
    {
        await StopAgentsAsync();
        var reason = $"disk full: {message}";
        DiskSpace.ReleaseReserve(_engine.Workspace.RunsRoot);
        var wait = Options.DiskRetryBaseDelay;
        for (var stalled = false; ; stalled = true)
        {
            try
            {
                RecordDiskFailure(reason);
                await Options.Committer.Commit(null, _log.Directory, _log.Directory); // the run's end is acknowledged
                break;
            }
            catch (IOException e) when (DiskSpace.IsFull(e))
            {
                if (!stalled)
                    Options.OnWarning?.Invoke(
                        $"run {_run.Id}: the disk is full; it fails with reason 'disk' as soon as there is room to record that (free space; nothing to do by hand)"
                    );
                Options.OnDiskStall?.Invoke(_run, reason);
                try
                {
                    await Task.Delay(wait, Options.Time, cancelRun);
                }
                catch (OperationCanceledException)
                {
                    return new RunOutcome(_run.Id, RunStatus.Failed, reason);
                } // stays as on disk: resumable
                wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, Options.DiskRetryMaxDelay.Ticks));
            }
        }
        Options.OnDiskStall?.Invoke(_run, null);
        if (Options.KeepDiskReserve)
            DiskSpace.EnsureReserve(_engine.Workspace.RunsRoot);
        return Outcome();
    }

    /// <summary>Appends what is still missing (a retry after a partial write continues where it stopped).</summary>
    private void RecordDiskFailure(string reason)
    {
        foreach (var agent in _state.Agents.Values.Where(a => a.Status == AgentStatus.Running).ToList())
            Append(new AgentFailed("disk", reason), agent.Name, agent.Attempt);
        if (!_state.Status.IsFinished())
            Append(new RunFinished(RunStatus.Failed, reason, Costs.CostLedger.TotalUsd(_run.Path)));
    }
}
