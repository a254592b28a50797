namespace Baton.Isolation;

public sealed partial record LimitEnforcement
{
    /// <summary>
    /// cgroup v2 when a mounted unified hierarchy has memory and pids enabled in the engine's own
    /// cgroup.subtree_control (a v2 hierarchy without them, as on hybrid systems, can't limit
    /// anything); else cgroup v1 when the memory and pids hierarchies are writable; else rlimits.
    /// </summary>
    public static LimitEnforcement Detect() => Detect("/proc/self/mounts", "/proc/self/cgroup");

    internal static LimitEnforcement Detect(string mountsFile, string cgroupFile)
    {
        if (!OperatingSystem.IsLinux())
            return Rlimits("not Linux");
        if (!Environment.IsPrivilegedProcess)
            return Rlimits("cgroups need root; this process is not root");
        var mounts = File.ReadAllLines(mountsFile).Select(l => l.Split(' ')).Where(f => f.Length > 3).ToList();
        var own = File.ReadAllLines(cgroupFile).Select(l => l.Split(':', 3)).Where(f => f.Length == 3).ToList();
        var why = new List<string>();

        foreach (var mount in mounts.Where(f => f[2] == "cgroup2"))
        {
            var path = own.FirstOrDefault(f => f[0] == "0")?[2];
            var dir = path is null ? mount[1] : Join(mount[1], path);
            var enabled = ReadWords(Path.Combine(dir, "cgroup.subtree_control"));
            if (enabled.Contains("memory") && enabled.Contains("pids") && IsWritable(dir))
            {
                var parent = Path.Combine(dir, "baton");
                return new(EnforcementKind.CgroupV2, $"memory and pids enabled in {dir}/cgroup.subtree_control")
                {
                    MemoryParent = parent,
                    PidsParent = parent,
                    CpuParent = enabled.Contains("cpu") ? parent : null,
                };
            }
            why.Add($"cgroup v2 at {mount[1]} has no memory+pids in {dir}/cgroup.subtree_control");
        }

        string? V1(string controller)
        {
            var mount = mounts.FirstOrDefault(f => f[2] == "cgroup" && f[3].Split(',').Contains(controller));
            var path = own.FirstOrDefault(f => f[1].Split(',').Contains(controller))?[2];
            if (mount is null || path is null)
                return null;
            var dir = Join(mount[1], path);
            return IsWritable(dir) ? Path.Combine(dir, "baton") : null;
        }
        if (V1("memory") is { } memory && V1("pids") is { } pids)
            return new(EnforcementKind.CgroupV1, why.Count > 0 ? string.Join("; ", why) : "no cgroup v2 hierarchy")
            {
                MemoryParent = memory,
                PidsParent = pids,
                CpuParent = V1("cpu"),
            };
        why.Add("no writable cgroup v1 memory and pids hierarchies");
        return Rlimits(string.Join("; ", why));
    }

    private static string Join(string mount, string path) => path == "/" ? mount : mount + path;

    private static string[] ReadWords(string file) =>
        File.Exists(file) ? File.ReadAllText(file).Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries) : [];

    /// <summary>Can we make child cgroups here? Only trying tells (read-only mounts, delegation, containers).</summary>
    private static bool IsWritable(string dir)
    {
        if (!Directory.Exists(dir))
            return false;
        var probe = Path.Combine(dir, $"baton-probe-{Environment.ProcessId}");
        try
        {
            Directory.CreateDirectory(probe);
            Directory.Delete(probe);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
