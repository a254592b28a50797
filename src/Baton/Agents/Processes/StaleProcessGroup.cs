namespace Baton.Agents.Processes;

/// <summary>
/// After an engine crash, a re-run must never overlap the attempt that was running: the recorded
/// (pgid, start time) of its process group tells us whether that group still exists.
/// </summary>
public static class StaleProcessGroup
{
    /// <summary>
    /// SIGKILLs the group if it is still the one recorded; true if something was killed.
    /// Leader alive with the recorded start time: ours. Leader alive with another start time: the pid
    /// was reused by an unrelated process, leave it. Leader gone: the pgid can't be reused while any
    /// member lives, so a process still in that group is a leftover of ours.
    /// </summary>
    public static bool KillIfAlive(int pgid, long startTime)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(pgid, 1);
        if (ProcStat.TryRead(pgid, out var leader))
        {
            return leader.StartTime == startTime && Kill(pgid);
        }

        return GroupHasMembers(pgid) && Kill(pgid);
    }

    private static bool GroupHasMembers(int pgid)
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (
                int.TryParse(Path.GetFileName(directory), out int pid)
                && ProcStat.TryRead(pid, out var stat)
                && stat.ProcessGroup == pgid
            )
            {
                return true;
            }
        }

        return false;
    }

    private static bool Kill(int pgid) => Libc.kill(-pgid, Libc.SIGKILL) == 0;
}

/// <summary>
/// Finds an agent's processes by the environment the engine gave them (BATON_RUN_ID and BATON_AGENT),
/// which every child inherits — even one that left the process group with setsid. It covers the
/// moment between spawning an attempt and recording its pid in process.json.
/// </summary>
public static class AgentProcessScan
{
    public static int KillAll(string runId, string agent)
    {
        var markers = new[] { $"BATON_RUN_ID={runId}", $"BATON_AGENT={agent}" };
        var killed = 0;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid) || pid == Environment.ProcessId)
                continue;
            string[] environment;
            try
            {
                environment = File.ReadAllText(Path.Combine(directory, "environ")).Split('\0');
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            if (markers.All(environment.Contains) && Libc.kill(pid, Libc.SIGKILL) == 0)
                killed++;
        }
        return killed;
    }
}
