using System.Runtime.InteropServices;

namespace Baton.Agents.Processes;

/// <summary>glibc entry points and Linux constants (x86_64 and arm64 agree on all of them).</summary>
internal static unsafe partial class Libc
{
    public const int EINTR = 4;
    public const int ESRCH = 3;
    public const int ECHILD = 10;

    public const int SIGKILL = 9;
    public const int SIGTERM = 15;

    public const int O_WRONLY = 0x1;
    public const int O_CREAT = 0x40;
    public const int O_TRUNC = 0x200;
    public const int O_APPEND = 0x400;
    public const int O_RDONLY = 0x0;

    public const short POSIX_SPAWN_SETPGROUP = 0x02;
    public const short POSIX_SPAWN_SETSIGDEF = 0x04;
    public const short POSIX_SPAWN_SETSIGMASK = 0x08;

    public const int X_OK = 1;

    [LibraryImport("libc")]
    public static partial int posix_spawnp(
        int* pid,
        byte* file,
        void* fileActions,
        void* attr,
        byte** argv,
        byte** envp
    );

    [LibraryImport("libc")]
    public static partial int posix_spawnattr_init(void* attr);

    [LibraryImport("libc")]
    public static partial int posix_spawnattr_destroy(void* attr);

    [LibraryImport("libc")]
    public static partial int posix_spawnattr_setflags(void* attr, short flags);

    [LibraryImport("libc")]
    public static partial int posix_spawnattr_setpgroup(void* attr, int pgroup);

    [LibraryImport("libc")]
    public static partial int posix_spawnattr_setsigmask(void* attr, void* sigset);

    [LibraryImport("libc")]
    public static partial int posix_spawnattr_setsigdefault(void* attr, void* sigset);

    [LibraryImport("libc")]
    public static partial int posix_spawn_file_actions_init(void* actions);

    [LibraryImport("libc")]
    public static partial int posix_spawn_file_actions_destroy(void* actions);

    // glibc copies the path strings, so they need only live for the call.
    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int posix_spawn_file_actions_addopen(
        void* actions,
        int fd,
        string path,
        int oflag,
        uint mode
    );

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int posix_spawn_file_actions_addchdir_np(void* actions, string path);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int sigemptyset(void* set);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int kill(int pid, int signal);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int waitpid(int pid, int* status, int options);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int access(string path, int mode);

    /// <summary>
    /// posix_spawn_file_actions_addclosefrom_np (glibc ≥ 2.34), or null where libc lacks it.
    /// Closing every fd ≥ 3 in the child keeps a descriptor some native code opened without
    /// O_CLOEXEC from leaking into agents (a leaked pipe end can make a reader wait forever).
    /// </summary>
    public static readonly delegate* unmanaged<void*, int, int> AddCloseFrom = LoadAddCloseFrom();

    private static delegate* unmanaged<void*, int, int> LoadAddCloseFrom() =>
        NativeLibrary.TryLoad("libc.so.6", out var libc)
        && NativeLibrary.TryGetExport(libc, "posix_spawn_file_actions_addclosefrom_np", out var export)
            ? (delegate* unmanaged<void*, int, int>)export
            : null;

    public static string Describe(int errno) => Marshal.GetPInvokeErrorMessage(errno);
}
