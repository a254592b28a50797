using System.Collections.Concurrent;
using Baton.Events;
using Baton.Isolation;
using Baton.Runs;
using Baton.Workspaces;
using Microsoft.Extensions.Logging;

namespace Baton.Server.Hosting;

/// <summary>
/// Which engine a workspace's runs get: built from its baton.yaml (isolation as its own Unix user, limits, the shared
/// slots and runners) when the file changed, with what that file asks of the server's environment.
/// </summary>
public sealed partial class RunHost
{
    private readonly ConcurrentDictionary<string, WorkspaceEngine> _engines = new(StringComparer.Ordinal);

    /// <summary>
    /// SPEC §6: as root, each workspace's agents run as its own Unix user; memory and process limits
    /// come from baton.yaml (a process cap applies by default, so a fork bomb stays contained).
    /// </summary>
    private AgentIsolation Confine(string workspaceName, Workspace workspace)
    {
        var limits = workspace.Config.Limits;
        var user = settings.RunAgentsAsWorkspaceUsers ? data.EnsureWorkspaceUser(workspaceName) : null;
        return new AgentIsolation(user, limits.AgentMemoryBytes, limits.AgentProcesses); // both set by OperatorLimits.Apply
    }

    /// <summary>Why this workspace's baton.yaml may not run here: it reads a server variable the operator did not allow.</summary>
    public string? RefusedEnvironment(string workspaceName) => Current(workspaceName).EnvironmentRefusal;

    private string? EnvironmentRefusal(string workspaceName)
    {
        if (
            WorkspaceDirectory.ReadText(data.WorkspacePath(workspaceName), Workspace.ConfigFileName, 1 << 20)
            is not { } config
        )
            return null;
        var refused = System
            .Text.RegularExpressions.Regex.Matches(config, @"\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}")
            .Select(m => m.Groups[1].Value)
            .Where(n => !settings.AllowedEnvironment.Contains(n))
            .Distinct()
            .ToList();
        return refused.Count == 0
            ? null
            : $"baton.yaml reads {string.Join(", ", refused.Select(n => $"${{env:{n}}}"))} from the server's environment, which a workspace may not do on a shared server; "
                + $"store the value as a workspace secret (PUT /api/workspaces/{workspaceName}/secrets/NAME) and write ${{secret:NAME}}, or ask the operator to allow it (baton serve --allow-env NAME)";
    }

    /// <summary>The workspace as its runs see it now (baton.yaml parsed when it last changed).</summary>
    public Workspace WorkspaceOf(string workspaceName) => EngineFor(workspaceName).Workspace;

    /// <summary>The workspace and engine options its runs use now: for runs made outside StartRun (a promotion's test cases).</summary>
    public (Workspace Workspace, EngineOptions Options) EngineParts(string workspaceName)
    {
        var engine = EngineFor(workspaceName);
        return (engine.Workspace, engine.Options);
    }

    /// <summary>The committer this host's engines make events durable with (EngineOptions.Committer).</summary>
    public GroupCommitter CommitterOf(string workspaceName) => EngineFor(workspaceName).Options.Committer;

    private static int? Limit(WorkspaceEngine current) => current.Engine.Workspace.Config.Limits.MaxConcurrentRuns;

    /// <summary>A workspace's engine, built from its baton.yaml as it was then (stamp), and what that file asks of the server's environment.</summary>
    private sealed record WorkspaceEngine(
        RunEngine Engine,
        (DateTime Modified, long Length) Stamp,
        string? EnvironmentRefusal
    );

    /// <summary>
    /// The workspace's engine, rebuilt when baton.yaml changed (through the API or by hand): the next
    /// run uses the new settings. One stat per call; the file is read and parsed only when it changed,
    /// not for every run started (W3).
    /// </summary>
    private WorkspaceEngine Current(string workspaceName)
    {
        var configFile = Path.Combine(data.WorkspacePath(workspaceName), Workspace.ConfigFileName);
        var info = new FileInfo(configFile);
        var stamp = info.Exists ? (info.LastWriteTimeUtc, info.Length) : (DateTime.MinValue, -1L);
        if (_engines.TryGetValue(workspaceName, out var current) && current.Stamp == stamp)
            return current;
        var engine = new RunEngine(
            settings.Limits.Apply(data.OpenWorkspace(workspaceName)),
            new EngineOptions
            {
                BaseEnvironment = ServerEnvironment.ForAgents(),
                AllowAbsoluteWorkdir = false,
                Slots = _slots,
                Runners = _runners,
                IsolationFor = workspace => Confine(workspaceName, workspace),
                OnEvent = (run, appended) =>
                {
                    metrics.EventWritten();
                    NotifyTaken(run, appended);
                },
                OnWarning = message => logger.LogWarning("{Workspace}: {Message}", workspaceName, message),
                // A child is part of its parent's admitted run: it skips the queue (a parent waiting behind
                // its own child at max_concurrent_runs would never finish), and runs like any other run.
                LaunchChild = child => Launch(workspaceName, child, skipQueue: true),
                AllowPrivateWebhooks = settings.AllowPrivateNotify,
                LinkBase = settings.PublicUrl,
                OnDiskStall = (run, reason) =>
                {
                    if (reason is null)
                        _diskStalls.TryRemove(run.Path, out _);
                    else
                        _diskStalls[run.Path] = reason;
                },
            }
        );
        // Two requests may rebuild at once: both engines are equal, the last one stays.
        return _engines[workspaceName] = new WorkspaceEngine(engine, stamp, EnvironmentRefusal(workspaceName));
    }

    /// <summary>The workspace's engine as its runs get it (isolation, slots, runners): a canary runs its test cases through it.</summary>
    public RunEngine EngineFor(string workspaceName) => Current(workspaceName).Engine;

    /// <summary>baton.yaml was replaced (through the API): the next run uses the new settings even if its stamp looks the same.</summary>
    public void Reload(string workspaceName) => _engines.TryRemove(workspaceName, out _);
}
