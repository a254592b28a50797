namespace Baton.Isolation;

/// <summary>How one agent process is confined: its Unix user (null: the engine's) and its limits.</summary>
public sealed record AgentIsolation(WorkspaceUser? User, long? MemoryBytes, int? MaxProcesses);
