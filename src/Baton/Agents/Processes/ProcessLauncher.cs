namespace Baton.Agents.Processes;

/// <summary>
/// Starts agent processes through posix_spawn rather than System.Diagnostics.Process, which can't
/// put a child in its own process group, send its output straight to files (1 GB of output must
/// never pass through managed memory), or run it with an environment that inherits nothing.
/// </summary>
public static class ProcessLauncher
{
    public static ChildProcess Start(ProcessSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (!Directory.Exists(spec.WorkingDirectory))
        {
            throw new ProcessStartException(
                $"cannot start '{spec.Executable}': working directory '{spec.WorkingDirectory}' does not exist"
            );
        }

        var workingDirectory = Path.GetFullPath(spec.WorkingDirectory);
        var file = CommandResolver.Resolve(spec.Executable, spec.Environment, workingDirectory);
        var stdoutPath = Path.GetFullPath(spec.StdoutPath, workingDirectory);
        var stderrPath = Path.GetFullPath(spec.StderrPath, workingDirectory);

        using var argv = new NativeStringArray([spec.Executable, .. spec.Arguments], "an argument");
        using var envp = new NativeStringArray(EnvironmentStrings(spec.Environment), "an environment variable");

        int error = PosixSpawn.Spawn(
            file,
            argv,
            envp,
            workingDirectory,
            stdoutPath,
            stderrPath,
            spec.Append,
            out int pid
        );
        if (error != 0)
        {
            throw new ProcessStartException(
                $"cannot start '{spec.Executable}' ({file}) in '{workingDirectory}' with output to "
                    + $"'{stdoutPath}' and '{stderrPath}': {Libc.Describe(error)}"
            );
        }

        // Read before the watcher can reap the child: until then /proc/<pid> exists, even as a zombie.
        bool known = ProcStat.TryRead(pid, out var stat);
        var child = new ChildProcess(pid, stat.StartTime, ExitWatcher.Watch(pid));
        if (!known)
        {
            child.KillGroup();
            throw new InvalidOperationException(
                $"/proc/{pid}/stat unreadable right after spawning '{spec.Executable}'"
            );
        }

        return child;
    }

    private static List<string> EnvironmentStrings(IReadOnlyDictionary<string, string> environment)
    {
        var strings = new List<string>(environment.Count);
        foreach (var (name, value) in environment)
        {
            if (name.Length == 0 || name.Contains('='))
            {
                throw new ArgumentException($"invalid environment variable name '{name}'", nameof(environment));
            }

            strings.Add($"{name}={value}");
        }

        return strings;
    }
}
