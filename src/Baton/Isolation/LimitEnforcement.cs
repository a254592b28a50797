namespace Baton.Isolation;

public enum EnforcementKind
{
    CgroupV2,
    CgroupV1,
    Rlimits,
}

/// <summary>
/// Which mechanism enforces agent limits on this machine (SPEC §6: "say clearly which is in force").
/// Agent cgroups go under the engine's own cgroup (…/baton/&lt;workspace&gt;/&lt;attempt&gt;), so whatever
/// confines the server (a systemd unit's MemoryMax, `systemctl stop`) also confines its agents.
/// Rlimits are the weak fallback: RLIMIT_AS is per process (a hog fails to allocate instead of being
/// OOM-killed) and RLIMIT_NPROC counts every process of the workspace's user, not of one agent.
/// </summary>
public sealed partial record LimitEnforcement(EnforcementKind Kind, string Why)
{
    /// <summary>Parent folders of the agents' cgroups per controller; in v2 all three are the same folder.</summary>
    public string? MemoryParent { get; init; }
    public string? PidsParent { get; init; }

    /// <summary>Null when the cpu controller is not writable here: CpuShares is then not enforced.</summary>
    public string? CpuParent { get; init; }

    private static readonly Lazy<LimitEnforcement> Current = new(Detect);

    public static LimitEnforcement Detected => Current.Value;

    public static LimitEnforcement Rlimits(string why) => new(EnforcementKind.Rlimits, why);

    public bool UsesCgroups => Kind != EnforcementKind.Rlimits;

    public string Describe() =>
        Kind switch
        {
            EnforcementKind.CgroupV2 =>
                $"agent limits: cgroup v2 — memory.max, pids.max{(CpuParent is null ? "" : ", cpu.weight")} per agent under {MemoryParent} ({Why})",
            EnforcementKind.CgroupV1 =>
                $"agent limits: cgroup v1 — memory.limit_in_bytes (+memsw), pids.max{(CpuParent is null ? "" : ", cpu.shares")} per agent under {MemoryParent}, {PidsParent}{(CpuParent is null ? "" : $", {CpuParent}")} ({Why})",
            _ =>
                $"agent limits: rlimits only — RLIMIT_AS per process, RLIMIT_NPROC per workspace user, no cpu shares ({Why})",
        };
}
