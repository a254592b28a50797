using System.Runtime.InteropServices;
using System.Text;

namespace Baton.Agents.Processes;

/// <summary>
/// One posix_spawnp call with the attributes every agent gets: a new process group it leads,
/// an empty signal mask, every signal at its default (the .NET runtime ignores SIGPIPE, and
/// ignored signals survive exec), /dev/null on stdin, files on stdout/stderr, no other fds.
/// glibc spawns with clone(CLONE_VM|CLONE_VFORK), so the cost doesn't grow with Baton's heap.
/// </summary>
internal static unsafe class PosixSpawn
{
    // glibc's posix_spawnattr_t is 336 bytes and posix_spawn_file_actions_t 80 on x86_64;
    // the buffers are oversized so no layout assumption can overflow them.
    private const int AttrBytes = 1024;
    private const int ActionsBytes = 1024;
    private const int SigsetBytes = 128;
    private const uint OutputMode = 0b110_100_100; // 0644

    /// <summary>Returns 0 and the pid, or the errno posix_spawnp reported (nothing was started).</summary>
    public static int Spawn(
        string file,
        NativeStringArray argv,
        NativeStringArray envp,
        string workingDirectory,
        string stdoutPath,
        string stderrPath,
        bool append,
        out int pid
    )
    {
        var block = (byte*)NativeMemory.AllocZeroed(AttrBytes + ActionsBytes + (2 * SigsetBytes));
        void* attr = block;
        void* actions = block + AttrBytes;
        void* emptySet = block + AttrBytes + ActionsBytes;
        void* allSignals = block + AttrBytes + ActionsBytes + SigsetBytes;
        bool attrReady = false,
            actionsReady = false;
        try
        {
            Check(Libc.posix_spawnattr_init(attr), "posix_spawnattr_init");
            attrReady = true;
            Check(Libc.posix_spawn_file_actions_init(actions), "posix_spawn_file_actions_init");
            actionsReady = true;

            // pgroup 0: the child's pgid becomes its own pid, so one kill(-pid) reaches everything it starts.
            Check(Libc.posix_spawnattr_setpgroup(attr, 0), "posix_spawnattr_setpgroup");
            Libc.sigemptyset(emptySet);
            Check(Libc.posix_spawnattr_setsigmask(attr, emptySet), "posix_spawnattr_setsigmask");
            // Signals 1..64 as bits 0..63 of sigset_t's first word, set directly: sigfillset leaves out
            // glibc's internal signals 32 and 33, and posix_spawn then hands them to the child as SIG_IGN.
            Libc.sigemptyset(allSignals);
            *(ulong*)allSignals = ulong.MaxValue;
            Check(Libc.posix_spawnattr_setsigdefault(attr, allSignals), "posix_spawnattr_setsigdefault");
            Check(
                Libc.posix_spawnattr_setflags(
                    attr,
                    Libc.POSIX_SPAWN_SETPGROUP | Libc.POSIX_SPAWN_SETSIGMASK | Libc.POSIX_SPAWN_SETSIGDEF
                ),
                "posix_spawnattr_setflags"
            );

            // The opened fds are the child's 0/1/2, so they must not carry O_CLOEXEC.
            int outputFlags = Libc.O_WRONLY | Libc.O_CREAT | (append ? Libc.O_APPEND : Libc.O_TRUNC);
            Check(Libc.posix_spawn_file_actions_addopen(actions, 0, "/dev/null", Libc.O_RDONLY, 0), "addopen stdin");
            Check(
                Libc.posix_spawn_file_actions_addopen(actions, 1, stdoutPath, outputFlags, OutputMode),
                "addopen stdout"
            );
            Check(
                Libc.posix_spawn_file_actions_addopen(actions, 2, stderrPath, outputFlags, OutputMode),
                "addopen stderr"
            );
            Check(Libc.posix_spawn_file_actions_addchdir_np(actions, workingDirectory), "addchdir_np");
            if (Libc.AddCloseFrom != null)
            {
                Check(Libc.AddCloseFrom(actions, 3), "addclosefrom_np");
            }

            int spawned;
            int error = SpawnUtf8(file, &spawned, actions, attr, argv, envp);
            pid = spawned;
            return error;
        }
        finally
        {
            if (actionsReady)
            {
                Libc.posix_spawn_file_actions_destroy(actions);
            }

            if (attrReady)
            {
                Libc.posix_spawnattr_destroy(attr);
            }

            NativeMemory.Free(block);
        }
    }

    private static int SpawnUtf8(
        string file,
        int* pid,
        void* actions,
        void* attr,
        NativeStringArray argv,
        NativeStringArray envp
    )
    {
        int length = Encoding.UTF8.GetMaxByteCount(file.Length) + 1;
        Span<byte> path = length <= 1024 ? stackalloc byte[length] : new byte[length];
        path[Encoding.UTF8.GetBytes(file, path)] = 0;
        fixed (byte* p = path)
        {
            return Libc.posix_spawnp(pid, p, actions, attr, argv.Pointer, envp.Pointer);
        }
    }

    // These only fail on ENOMEM or a bad argument, i.e. a bug here, not a problem with the command.
    private static void Check(int error, string call)
    {
        if (error != 0)
        {
            throw new InvalidOperationException($"{call} failed: {Libc.Describe(error)}");
        }
    }
}
