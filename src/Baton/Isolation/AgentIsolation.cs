namespace Baton.Isolation;

/// <summary>
/// How one agent process is confined: its Unix user (null: the engine's own) and its limits. The
/// server builds one per workspace (EngineOptions.IsolationFor); `baton run` sets none.
/// </summary>
public sealed record AgentIsolation(WorkspaceUser? User, ResourceLimits Limits)
{
    public AgentIsolation(WorkspaceUser? user, long? memoryBytes, int? maxProcesses)
        : this(user, new ResourceLimits(memoryBytes, maxProcesses)) { }

    public long? MemoryBytes => Limits.MemoryBytes;
    public int? MaxProcesses => Limits.MaxProcesses;

    /// <summary>Null: what this machine has (LimitEnforcement.Detected); set to force one, e.g. rlimits.</summary>
    public LimitEnforcement? Enforcement { get; init; }
}
