using System.Runtime.InteropServices;

namespace Baton.Agents.Processes;

/// <summary>
/// Reaps one child on a dedicated thread blocked in waitpid(pid). .NET's own SIGCHLD handling only
/// reaps the pids it started through System.Diagnostics.Process, so nothing else takes our exits.
/// A blocked thread costs a small stack and no CPU; agents number in the tens, not thousands.
/// </summary>
internal static unsafe class ExitWatcher
{
    public static Task<ProcessExit> Watch(int pid)
    {
        var exited = new TaskCompletionSource<ProcessExit>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() => Wait(pid, exited), maxStackSize: 128 * 1024)
        {
            IsBackground = true,
            Name = $"baton wait {pid}",
        };
        thread.Start();
        return exited.Task;
    }

    private static void Wait(int pid, TaskCompletionSource<ProcessExit> exited)
    {
        int status;
        while (Libc.waitpid(pid, &status, 0) == -1)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno != Libc.EINTR)
            {
                exited.SetException(
                    new InvalidOperationException(
                        $"waitpid({pid}) failed: {Libc.Describe(errno)}; something else reaped Baton's child"
                    )
                );
                return;
            }
        }

        exited.SetResult(ProcessExit.FromWaitStatus(status));
    }
}
