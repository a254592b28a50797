namespace Baton.Isolation;

public enum EnforcementKind { CgroupV2, CgroupV1, Rlimits }

/// <summary>
/// Which mechanism enforces agent memory and process limits on this machine (SPEC §6: "say clearly
/// which is in force"): cgroup v2 when a unified hierarchy has the memory and pids controllers,
/// else cgroup v1 when its memory and pids hierarchies are writable, else rlimits (RLIMIT_AS and
/// RLIMIT_NPROC: per process and per user, so weaker — a memory hog is still stopped, but by
/// failing allocations rather than by the OOM killer).
/// </summary>
public sealed record LimitEnforcement(EnforcementKind Kind, string MemoryRoot, string PidsRoot, string Why)
{
    private static readonly Lazy<LimitEnforcement> Current = new(Detect);

    public static LimitEnforcement Detected => Current.Value;

    public string Describe() => Kind switch
    {
        EnforcementKind.CgroupV2 => $"agent limits: cgroup v2 ({MemoryRoot}): memory.max and pids.max per agent",
        EnforcementKind.CgroupV1 => $"agent limits: cgroup v1 ({MemoryRoot}, {PidsRoot}): memory.limit_in_bytes and pids.max per agent",
        _ => $"agent limits: rlimits (RLIMIT_AS, RLIMIT_NPROC) — {Why}",
    };

    public static LimitEnforcement Detect()
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root" && !IsWritable("/sys/fs/cgroup/memory"))
            return new(EnforcementKind.Rlimits, "", "", "cgroups need root");
        foreach (var unified in new[] { "/sys/fs/cgroup", "/sys/fs/cgroup/unified" })
        {
            var controllers = Path.Combine(unified, "cgroup.controllers");
            if (File.Exists(controllers) && File.ReadAllText(controllers).Split(' ', '\n') is var c && c.Contains("memory") && c.Contains("pids") && IsWritable(unified))
                return new(EnforcementKind.CgroupV2, unified, unified, "");
        }
        if (IsWritable("/sys/fs/cgroup/memory") && IsWritable("/sys/fs/cgroup/pids") && File.Exists("/sys/fs/cgroup/memory/memory.limit_in_bytes"))
            return new(EnforcementKind.CgroupV1, "/sys/fs/cgroup/memory", "/sys/fs/cgroup/pids", "");
        return new(EnforcementKind.Rlimits, "", "", "no writable cgroup memory and pids controllers on this machine");
    }

    private static bool IsWritable(string dir)
    {
        if (!Directory.Exists(dir)) return false;
        var probe = Path.Combine(dir, $"baton-probe-{Environment.ProcessId}");
        try
        {
            Directory.CreateDirectory(probe);
            Directory.Delete(probe);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
    }
}
