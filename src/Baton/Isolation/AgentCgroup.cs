using System.Globalization;

namespace Baton.Isolation;

/// <summary>
/// One agent attempt's cgroups (one per v1 controller, one in v2): made before the agent starts,
/// joined by the agent itself before it runs any user code (ConfineCommand), read after it exits
/// to tell an OOM kill apart, then emptied (daemons that left the process group included) and removed.
/// </summary>
internal sealed class AgentCgroup
{
    private readonly LimitEnforcement _enforcement;
    private readonly List<string> _folders = [];
    private readonly string _relative;

    private AgentCgroup(LimitEnforcement enforcement, string relative)
    {
        _enforcement = enforcement;
        _relative = relative;
    }

    /// <summary>The cgroup.procs files the agent writes its pid to.</summary>
    public IEnumerable<string> ProcsFiles => _folders.Select(f => Path.Combine(f, "cgroup.procs"));

    /// <param name="relative">workspace/attempt, already safe as a path (Confinement.Sanitise).</param>
    public static AgentCgroup Create(LimitEnforcement enforcement, string relative, ResourceLimits limits)
    {
        var cgroup = new AgentCgroup(enforcement, relative);
        try
        {
            if (enforcement.Kind == EnforcementKind.CgroupV2)
                cgroup.CreateV2(limits);
            else
                cgroup.CreateV1(limits);
        }
        catch
        {
            cgroup.Remove();
            throw;
        }
        return cgroup;
    }

    /// <summary>
    /// The cgroups an attempt of an engine that died left behind, if any: what is still in them is
    /// killed and the folders removed, as the attempt's own engine would have done.
    /// </summary>
    public static Task RemoveLeftoverAsync(LimitEnforcement enforcement, string relative)
    {
        var leftover = new AgentCgroup(enforcement, relative);
        leftover._folders.AddRange(
            new[] { enforcement.MemoryParent, enforcement.PidsParent, enforcement.CpuParent }
                .OfType<string>()
                .Distinct(StringComparer.Ordinal)
                .Select(parent => Path.Combine(parent, relative))
                .Where(Directory.Exists)
        );
        return leftover._folders.Count == 0 ? Task.CompletedTask : leftover.RemoveAsync();
    }

    private void CreateV1(ResourceLimits limits)
    {
        // Always a pids cgroup, even without a process limit: it is how leftovers are found and killed.
        var pids = Make(_enforcement.PidsParent!);
        Write(pids, "pids.max", limits.MaxProcesses?.ToString(CultureInfo.InvariantCulture) ?? "max");
        if (limits.MemoryBytes is { } bytes)
        {
            var memory = Make(_enforcement.MemoryParent!);
            Write(memory, "memory.limit_in_bytes", bytes);
            // Without this the agent's pages could go to swap instead of hitting the limit.
            if (File.Exists(Path.Combine(memory, "memory.memsw.limit_in_bytes")))
                Write(memory, "memory.memsw.limit_in_bytes", bytes);
        }
        if (limits.CpuShares is { } shares && _enforcement.CpuParent is { } cpu)
            Write(Make(cpu), "cpu.shares", shares);
    }

    private void CreateV2(ResourceLimits limits)
    {
        var parent = _enforcement.MemoryParent!;
        var controllers = _enforcement.CpuParent is null ? "+memory +pids" : "+memory +pids +cpu";
        // Every folder between the engine's cgroup and the agent's must pass the controllers down.
        var folder = Make(parent, beforeLeaf: dir => Write(dir, "cgroup.subtree_control", controllers));
        Write(folder, "pids.max", limits.MaxProcesses?.ToString(CultureInfo.InvariantCulture) ?? "max");
        if (limits.MemoryBytes is { } bytes)
        {
            Write(folder, "memory.max", bytes);
            Write(folder, "memory.swap.max", 0);
        }
        // cpu.shares 2..262144 onto cpu.weight 1..10000, as runc and systemd convert it.
        if (limits.CpuShares is { } shares && _enforcement.CpuParent is not null)
            Write(folder, "cpu.weight", 1 + (Math.Clamp(shares, 2, 262_144) - 2) * 9999L / 262_142);
    }

    /// <summary>
    /// parent/workspace/attempt. A concurrent Remove of another attempt may delete an empty
    /// workspace folder between our mkdirs, so a vanished parent is retried.
    /// </summary>
    private string Make(string parent, Action<string>? beforeLeaf = null)
    {
        var leaf = Path.Combine(parent, _relative);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                for (
                    var dir = parent;
                    dir != leaf;
                    dir = Path.Combine(dir, Path.GetRelativePath(dir, leaf).Split('/')[0])
                )
                {
                    MakeUnlisted(dir);
                    beforeLeaf?.Invoke(dir);
                }
                MakeUnlisted(leaf);
                _folders.Add(leaf);
                return leaf;
            }
            catch (DirectoryNotFoundException) when (attempt < 5) { }
        }
    }

    /// <summary>
    /// rwx--x--x: cgroup folders are world-listable by default, and their names are workspace names
    /// and run ids; agents of other workspaces may pass through (a tool reading its own limits) but
    /// not list them.
    /// </summary>
    private static void MakeUnlisted(string dir)
    {
        Directory.CreateDirectory(dir);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(
                dir,
                UnixFileMode.UserRead
                    | UnixFileMode.UserWrite
                    | UnixFileMode.UserExecute
                    | UnixFileMode.GroupExecute
                    | UnixFileMode.OtherExecute
            );
    }

    private static void Write(string folder, string file, long value) =>
        Write(folder, file, value.ToString(CultureInfo.InvariantCulture));

    private static void Write(string folder, string file, string value) =>
        File.WriteAllText(Path.Combine(folder, file), value);

    /// <summary>Did the kernel's OOM killer kill a process of this cgroup (v1 memory.oom_control, v2 memory.events)?</summary>
    public bool OomKilled()
    {
        foreach (var folder in _folders)
        foreach (var file in new[] { "memory.oom_control", "memory.events" })
        {
            var path = Path.Combine(folder, file);
            if (!File.Exists(path))
                continue;
            foreach (var line in File.ReadLines(path))
                if (
                    line.StartsWith("oom_kill ", StringComparison.Ordinal)
                    && long.TryParse(line[9..], CultureInfo.InvariantCulture, out var n)
                    && n > 0
                )
                    return true;
        }
        return false;
    }

    /// <summary>
    /// Kills everything still in the cgroup and removes its folders. A fork bomb keeps forking while
    /// being killed, but pids.max bounds it, so repeated sweeps converge; zombies not yet reaped by
    /// init keep a folder busy for a moment, hence the retries.
    /// </summary>
    public async Task RemoveAsync(CancellationToken cancellationToken = default)
    {
        foreach (var folder in _folders)
        {
            var kill = Path.Combine(folder, "cgroup.kill");
            if (File.Exists(kill))
                TryWrite(kill, "1");
            for (var sweep = 0; sweep < 200; sweep++)
            {
                var pids = Pids(folder);
                if (pids.Count == 0)
                    break;
                foreach (var pid in pids)
                    _ = Agents.Processes.Libc.kill(pid, Agents.Processes.Libc.SIGKILL);
                await Task.Delay(5, cancellationToken);
            }
        }
        for (var round = 0; round < 100 && !Remove(); round++)
            await Task.Delay(10, cancellationToken);
    }

    /// <summary>Removes the leaf folders and then any parent left empty; true when every leaf is gone.</summary>
    private bool Remove()
    {
        var done = true;
        foreach (var folder in _folders)
        {
            if (!TryDelete(folder))
            {
                done = false;
                continue;
            }
            // The workspace folder, then baton/: busy (EBUSY) while another attempt uses them, which is fine.
            var parent = Path.GetDirectoryName(folder);
            for (
                var depth = 0;
                depth < _relative.Count(c => c == '/') + 1 && parent is not null && TryDelete(parent);
                depth++
            )
                parent = Path.GetDirectoryName(parent);
        }
        return done;
    }

    private static List<int> Pids(string folder)
    {
        try
        {
            return
            [
                .. File.ReadAllLines(Path.Combine(folder, "cgroup.procs"))
                    .Where(l => l.Length > 0)
                    .Select(l => int.Parse(l, CultureInfo.InvariantCulture)),
            ];
        }
        catch (IOException)
        {
            return [];
        }
    }

    private static bool TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder);
            return true;
        }
        catch (DirectoryNotFoundException)
        {
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static void TryWrite(string file, string value)
    {
        try
        {
            File.WriteAllText(file, value);
        }
        catch (IOException)
        { /* older v2 kernels lack cgroup.kill; the sweep below does the same */
        }
    }
}
