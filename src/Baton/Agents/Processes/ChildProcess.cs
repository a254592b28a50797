using System.Runtime.InteropServices;

namespace Baton.Agents.Processes;

/// <summary>
/// A started child that leads its own process group (Pid == pgid). Signals go to the whole group,
/// so grandchildren (a script's background jobs, a CLI's helpers) are stopped along with it.
/// </summary>
public sealed class ChildProcess
{
    internal ChildProcess(int pid, long startTime, Task<ProcessExit> exited)
    {
        Pid = pid;
        StartTime = startTime;
        Exited = exited;
    }

    public int Pid { get; }

    /// <summary>Field 22 of /proc/&lt;pid&gt;/stat: with Pid, what StaleProcessGroup needs after a crash.</summary>
    public long StartTime { get; }

    /// <summary>Completes when the group leader has exited and been reaped; other members may live on.</summary>
    public Task<ProcessExit> Exited { get; }

    /// <summary>kill(-pgid, signal). A group that no longer exists is not an error.</summary>
    public void SignalGroup(int signal)
    {
        if (Libc.kill(-Pid, signal) == -1)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno != Libc.ESRCH)
            {
                throw new InvalidOperationException($"kill(-{Pid}, {signal}) failed: {Libc.Describe(errno)}");
            }
        }
    }

    /// <summary>Removes whatever is left of the group, e.g. background jobs the leader didn't wait for.</summary>
    public void KillGroup() => SignalGroup(Libc.SIGKILL);

    /// <summary>
    /// SIGTERM to the group, up to <paramref name="grace"/> for the leader to exit, then SIGKILL to
    /// the group, always, so nothing of it outlives the stop. Cancelling skips the rest of the grace
    /// period (the group is still killed) and then throws.
    /// </summary>
    public async Task StopAsync(TimeSpan grace, CancellationToken ct = default)
    {
        SignalGroup(Libc.SIGTERM);
        await ((Task)Exited.WaitAsync(grace, ct)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        KillGroup();
        ct.ThrowIfCancellationRequested();
        await Exited.WaitAsync(ct).ConfigureAwait(false);
    }
}
