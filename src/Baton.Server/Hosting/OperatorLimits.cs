using Baton.Workspaces;

namespace Baton.Server.Hosting;

/// <summary>
/// The operator's ceilings over what a workspace owner may set in baton.yaml `limits:` and
/// `budget:` (`baton serve --max-…`): a tenant's value above a ceiling is lowered to it, an unset
/// one becomes the default (agent memory, agent processes) or the ceiling. Applied to the
/// workspace every time its baton.yaml is read (RunHost), so an edit can never lift them.
/// </summary>
public sealed record OperatorLimits
{
    public int? MaxConcurrentRuns { get; init; }
    public int? MaxParallelAgents { get; init; }
    public int? MaxAgentProcesses { get; init; }
    public long? MaxAgentMemoryBytes { get; init; }
    public decimal? MaxMonthlyUsd { get; init; }

    /// <summary>pids.max of an agent when baton.yaml sets no `limits.agent_processes`.</summary>
    public int DefaultAgentProcesses { get; init; } = 1024;

    /// <summary>An agent's memory when baton.yaml sets no `limits.agent_memory`: without one, a hog meets the machine's OOM killer, not its own limit.</summary>
    public long DefaultAgentMemoryBytes { get; init; } = 2L << 30;

    public Workspace Apply(Workspace workspace)
    {
        var config = workspace.Config;
        var limits = config.Limits;
        var capped = config with
        {
            Limits = limits with
            {
                MaxConcurrentRuns = Min(limits.MaxConcurrentRuns, MaxConcurrentRuns),
                MaxParallelAgents = Min(limits.MaxParallelAgents, MaxParallelAgents),
                AgentProcesses = Min(limits.AgentProcesses ?? DefaultAgentProcesses, MaxAgentProcesses),
                AgentMemoryBytes = Min(limits.AgentMemoryBytes ?? DefaultAgentMemoryBytes, MaxAgentMemoryBytes),
            },
            Budget =
                MaxMonthlyUsd is not { } most ? config.Budget
                : config.Budget is { } budget ? budget with { MonthlyUsd = Math.Min(budget.MonthlyUsd, most) }
                : new WorkspaceBudget(most),
        };
        return workspace.WithConfig(capped);
    }

    private static T? Min<T>(T? tenant, T? ceiling)
        where T : struct, IComparable<T> =>
        tenant is { } t && ceiling is { } c ? (t.CompareTo(c) <= 0 ? t : c) : tenant ?? ceiling;
}
