using Baton.Agents;
using Baton.Agents.Processes;

namespace Baton.Isolation;

/// <summary>
/// Confines one agent attempt (ProcessAgent): its cgroups or rlimits, its workspace's user and
/// HOME. Disposing it kills whatever the attempt left in its cgroup and removes the cgroup.
/// </summary>
public sealed class Confinement : IAsyncDisposable
{
    private readonly AgentIsolation _isolation;
    private readonly LimitEnforcement _enforcement;
    private readonly AgentCgroup? _cgroup;
    private readonly string? _helper;

    private Confinement(AgentIsolation isolation, LimitEnforcement enforcement, AgentCgroup? cgroup, string? helper)
    {
        _isolation = isolation;
        _enforcement = enforcement;
        _cgroup = cgroup;
        _helper = helper;
    }

    public static Confinement Create(AgentIsolation isolation, AgentContext context) =>
        Create(
            isolation,
            CgroupName(context.Workspace, context.Run.Id, context.Agent.Name, context.Attempt),
            ConfineCommand.Helper
        );

    /// <summary>Kills and removes what an interrupted attempt left in its cgroups (its engine died before it could).</summary>
    public static Task RemoveLeftoverAsync(
        AgentIsolation isolation,
        Workspaces.Workspace workspace,
        string runId,
        string agent,
        int attempt
    )
    {
        var enforcement = isolation.Enforcement ?? LimitEnforcement.Detected;
        return enforcement.UsesCgroups
            ? AgentCgroup.RemoveLeftoverAsync(enforcement, Sanitise(CgroupName(workspace, runId, agent, attempt)))
            : Task.CompletedTask;
    }

    private static string CgroupName(Workspaces.Workspace workspace, string runId, string agent, int attempt) =>
        $"{Path.GetFileName(workspace.Root)}/{runId}-{agent}-{attempt}";

    /// <param name="name">workspace/attempt, unique per attempt; made safe for a path here.</param>
    /// <param name="helper">The baton-confine helper; null: the sh + setpriv prologue.</param>
    internal static Confinement Create(AgentIsolation isolation, string name, string? helper)
    {
        var enforcement = isolation.Enforcement ?? LimitEnforcement.Detected;
        var cgroup = enforcement.UsesCgroups ? AgentCgroup.Create(enforcement, Sanitise(name), isolation.Limits) : null;
        return new Confinement(isolation, enforcement, cgroup, helper);
    }

    public LimitEnforcement Enforcement => _enforcement;

    public static bool HasHelper => ConfineCommand.Helper is not null;

    /// <summary>For `baton doctor`: how agents get into their cgroup and user.</summary>
    public static string DescribePrologue() =>
        ConfineCommand.Helper is { } helper
            ? $"agents are confined through {helper} (one exec)"
            : "baton-confine was not built (no C compiler at build time): agents are confined through /bin/sh + setpriv (~2 ms more per agent)";

    /// <summary>The agent's folders handed to its user, HOME set, and the spec wrapped in the confining prologue.</summary>
    public ProcessSpec Prepare(AgentContext context, ProcessSpec spec)
    {
        if (_isolation.User is not { } user)
            return Wrap(spec);
        var home = WorkspaceFolders.PrepareAgent(context, user);
        spec = spec with
        {
            Environment = new Dictionary<string, string>(spec.Environment, StringComparer.Ordinal) { ["HOME"] = home },
        };
        return Wrap(spec, WorkspaceFolders.PrepareTmp(context.Workspace.Root, user));
    }

    /// <param name="privateTmp">The workspace's tmp/, seen by the agent as /tmp, /var/tmp and /dev/shm (only with a workspace user: it needs root).</param>
    internal ProcessSpec Wrap(ProcessSpec spec, string? privateTmp = null) =>
        ConfineCommand.Wrap(
            spec,
            _cgroup?.ProcsFiles ?? [],
            _enforcement.UsesCgroups ? null : _isolation.Limits,
            _isolation.User,
            _helper,
            hideProcesses: _isolation.User is not null && ProcessHiding.Supported,
            privateTmp
        );

    /// <summary>
    /// Why the attempt failed for memory, or null. Under cgroups the kernel says so (an OOM kill);
    /// under RLIMIT_AS an allocation simply fails, so the agent's last words are the only evidence.
    /// </summary>
    public string? OutOfMemory(ProcessExit exit, string stderrTail)
    {
        if (_isolation.MemoryBytes is not { } bytes || exit.ExitCode == 0)
            return null;
        var limit = ResourceLimits.Mebibytes(bytes);
        if (_cgroup is not null)
            return _cgroup.OomKilled()
                ? $"exceeded its {limit} memory limit and was killed by the kernel (cgroup OOM)"
                : null;
        string[] allocationFailures =
        [
            "cannot allocate",
            "memory exhausted",
            "MemoryError",
            "out of memory",
            "bad_alloc",
        ];
        return allocationFailures.Any(m => stderrTail.Contains(m, StringComparison.OrdinalIgnoreCase))
            ? $"exceeded its {limit} memory limit (RLIMIT_AS: an allocation failed)"
            : null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_cgroup is not null)
            await _cgroup.RemoveAsync(CancellationToken.None);
    }

    /// <summary>Keeps [A-Za-z0-9_-] of each '/'-separated part, so no name can climb out of baton/.</summary>
    internal static string Sanitise(string name) =>
        string.Join(
            '/',
            name.Split('/')
                .Select(part => new string([
                    .. part.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_'),
                ]))
                .Where(p => p.Length > 0)
        );
}
