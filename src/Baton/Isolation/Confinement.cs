using System.Globalization;
using System.Text;
using Baton.Agents.Processes;

namespace Baton.Isolation;

/// <summary>
/// Confines one agent process: its own cgroups (memory, pids) or rlimits, and its workspace's user.
/// posix_spawn can neither join a cgroup nor change user, so the agent is started through a tiny
/// /bin/sh prologue that moves itself into the cgroups (before any user code runs), then execs
/// setpriv to drop to the workspace user, which execs the agent. One fork, three execs.
/// </summary>
public sealed class Confinement : IDisposable
{
    private readonly AgentIsolation _isolation;
    private readonly LimitEnforcement _enforcement;
    private readonly List<string> _cgroups = [];

    private Confinement(AgentIsolation isolation, LimitEnforcement enforcement)
    {
        _isolation = isolation;
        _enforcement = enforcement;
    }

    /// <param name="name">Unique per attempt, e.g. workspace/run-agent-attempt; made safe for a path.</param>
    public static Confinement Create(AgentIsolation isolation, string name, LimitEnforcement? enforcement = null)
    {
        var confinement = new Confinement(isolation, enforcement ?? LimitEnforcement.Detected);
        confinement.MakeCgroups(Sanitise(name));
        return confinement;
    }

    public string Enforcement => _enforcement.Kind.ToString();

    private void MakeCgroups(string name)
    {
        if (_isolation.MemoryBytes is null && _isolation.MaxProcesses is null) return;
        switch (_enforcement.Kind)
        {
            case EnforcementKind.CgroupV1:
                var memory = Path.Combine(_enforcement.MemoryRoot, "baton", name);
                var pids = Path.Combine(_enforcement.PidsRoot, "baton", name);
                Directory.CreateDirectory(memory);
                Directory.CreateDirectory(pids);
                _cgroups.Add(memory);
                _cgroups.Add(pids);
                if (_isolation.MemoryBytes is { } bytes)
                {
                    Write(memory, "memory.limit_in_bytes", bytes);
                    if (File.Exists(Path.Combine(memory, "memory.memsw.limit_in_bytes"))) Write(memory, "memory.memsw.limit_in_bytes", bytes); // swap can't dodge it
                }
                if (_isolation.MaxProcesses is { } max) Write(pids, "pids.max", max);
                break;
            case EnforcementKind.CgroupV2:
                var group = Path.Combine(_enforcement.MemoryRoot, "baton", name);
                EnableControllers(Path.Combine(_enforcement.MemoryRoot, "baton"));
                Directory.CreateDirectory(group);
                _cgroups.Add(group);
                if (_isolation.MemoryBytes is { } max2) { Write(group, "memory.max", max2); Write(group, "memory.swap.max", 0); }
                if (_isolation.MaxProcesses is { } procs) Write(group, "pids.max", procs);
                break;
        }
    }

    private void EnableControllers(string batonRoot)
    {
        Directory.CreateDirectory(batonRoot);
        try { File.WriteAllText(Path.Combine(_enforcement.MemoryRoot, "cgroup.subtree_control"), "+memory +pids"); } catch (IOException) { }
        try { File.WriteAllText(Path.Combine(batonRoot, "cgroup.subtree_control"), "+memory +pids"); } catch (IOException) { }
    }

    private static void Write(string dir, string file, long value)
    {
        var path = Path.Combine(dir, file);
        if (File.Exists(path)) File.WriteAllText(path, value.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>The same process, started through the confining prologue.</summary>
    public ProcessSpec Wrap(ProcessSpec spec)
    {
        var executable = CommandResolver.Resolve(spec.Executable, spec.Environment, spec.WorkingDirectory);
        var script = new StringBuilder();
        foreach (var cgroup in _cgroups) script.Append(CultureInfo.InvariantCulture, $"echo $$ > '{cgroup}/cgroup.procs' || exit 125\n");
        var command = new List<string>();
        if (_enforcement.Kind == EnforcementKind.Rlimits && (_isolation.MemoryBytes is not null || _isolation.MaxProcesses is not null))
        {
            command.Add("/usr/bin/prlimit");
            if (_isolation.MemoryBytes is { } bytes) command.Add($"--as={bytes}");
            if (_isolation.MaxProcesses is { } max) command.Add($"--nproc={max}");
            command.Add("--");
        }
        if (_isolation.User is { } user)
            command.AddRange(["/usr/bin/setpriv", $"--reuid={user.Uid}", $"--regid={user.Gid}", "--clear-groups", "--no-new-privs", "--"]);
        script.Append("exec \"$@\"\n");
        return spec with { Executable = "/bin/sh", Arguments = ["-c", script.ToString(), "baton-agent", .. command, executable, .. spec.Arguments] };
    }

    /// <summary>After the agent exited: did the kernel kill something for exceeding the memory limit?</summary>
    public bool RanOutOfMemory()
    {
        foreach (var cgroup in _cgroups)
        {
            foreach (var file in new[] { "memory.oom_control", "memory.events" })
            {
                var path = Path.Combine(cgroup, file);
                if (!File.Exists(path)) continue;
                foreach (var line in File.ReadLines(path))
                    if (line.StartsWith("oom_kill ", StringComparison.Ordinal) && long.TryParse(line[9..], out var n) && n > 0) return true;
            }
        }
        return false;
    }

    /// <summary>Kills whatever is still in the agent's cgroups (daemons that left its process group included) and removes them.</summary>
    public void Dispose()
    {
        foreach (var cgroup in _cgroups)
        {
            for (var round = 0; round < 50; round++)
            {
                var procs = Path.Combine(cgroup, "cgroup.procs");
                var pids = File.Exists(procs) ? File.ReadAllLines(procs).Where(l => l.Length > 0).Select(int.Parse).ToList() : [];
                if (pids.Count == 0) break;
                foreach (var pid in pids) Kill(pid);
                Thread.Sleep(10);
            }
            try { Directory.Delete(cgroup); }
            catch (IOException) { /* a zombie not yet reaped keeps it; the kernel frees it when reaped */ }
        }
    }

    private static void Kill(int pid) => _ = KillNative.kill(pid, 9);

    private static string Sanitise(string name) =>
        string.Join('/', name.Split('/').Select(part => new string([.. part.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_')])).Where(p => p.Length > 0 && p != ".." && p != "."));
}

internal static partial class KillNative
{
    [System.Runtime.InteropServices.LibraryImport("libc", SetLastError = true)]
    public static partial int kill(int pid, int signal);
}
