using Baton.Chains;
using Baton.Runs;
using Baton.Server.Hosting;
using Baton.Workspaces;
using Microsoft.Extensions.Logging;

namespace Baton.Server.Triggers;

/// <summary>
/// Starts the run a trigger fired: its inputs rendered from what fired it (TriggerTemplate), the trigger in
/// run.started (`trigger`), and an audit line (who: `trigger`, via: its kind). One way for every kind.
/// </summary>
public sealed class TriggerStarter(DataRoot data, RunHost host, ILogger<TriggerStarter> logger)
{
    /// <param name="resolve">The value of one trigger reference (`body.x`, `schedule.time`...).</param>
    /// <param name="description">The `trigger` field of run.started: kind, what fired and when or which delivery.</param>
    /// <returns>The run, or null when it could not start (logged: the workspace's configuration refuses, an input is bad).</returns>
    public async Task<RunFolder?> StartAsync(
        string workspace,
        WorkspaceChains.Entry entry,
        TriggerSpec trigger,
        Func<string, string> resolve,
        string description
    )
    {
        if (host.RefusedEnvironment(workspace) is { } refusal)
        {
            logger.LogWarning("{Workspace}: trigger of {Chain} not started: {Reason}", workspace, entry.Name, refusal);
            return null;
        }
        var inputs = trigger.Inputs.ToDictionary(i => i.Key, i => TriggerTemplate.Render(i.Value, resolve));
        try
        {
            var (run, durable) = host.StartRun(workspace, entry.Chain!, entry.Text, inputs, description);
            await Task.WhenAll(
                durable,
                AuditLog.AppendAsync(
                    data.WorkspacePath(workspace),
                    "trigger",
                    trigger.Kind,
                    "run.start",
                    run.Id,
                    $"{entry.Name}: {description}"
                )
            );
            return run;
        }
        catch (InputException e)
        {
            logger.LogWarning(
                "{Workspace}: trigger of {Chain} not started: {Reason}",
                workspace,
                entry.Name,
                e.Message
            );
            return null;
        }
    }
}
