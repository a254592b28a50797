using System.Runtime.InteropServices;

namespace Baton;

/// <summary>
/// Opening a path below a folder so that nothing planted in it can lead elsewhere: openat2(2)
/// with RESOLVE_BENEATH (no "..", absolute path or link out of the folder) and, unless the caller
/// allows links that stay inside, RESOLVE_NO_SYMLINKS. Kernels before 5.6 have no openat2: there
/// a walk of openat(O_NOFOLLOW) calls, one descriptor per component, does the same job.
/// </summary>
internal static partial class Libc
{
    private const long SYS_openat2 = 437; // the same number on every architecture (new system calls share one table)
    private const ulong RESOLVE_NO_MAGICLINKS = 0x02,
        RESOLVE_NO_SYMLINKS = 0x04,
        RESOLVE_BENEATH = 0x08;
    public const int ENOENT = 2,
        ENOTDIR = 20,
        ELOOP = 40,
        EXDEV = 18,
        ENOSYS = 38;
    public const int O_PATH = 0x200000;

    [StructLayout(LayoutKind.Sequential)]
    private struct OpenHow
    {
        public ulong Flags;
        public ulong Mode;
        public ulong Resolve;
    }

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial long SyscallOpenat2(long number, int dirfd, string path, OpenHow* how, nuint size);

    [LibraryImport("libc", EntryPoint = "openat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Openat(int dirfd, string path, int flags, int mode);

    /// <summary>Set when this kernel answered ENOSYS once.</summary>
    private static bool s_noOpenat2;

    /// <summary>For tests: this thread walks instead of calling openat2, as on a kernel without it.</summary>
    [ThreadStatic]
    internal static bool WalkOnThisThread;

    /// <summary>
    /// Opens <paramref name="relative"/> (no leading '/', no "..") below the folder open as
    /// <paramref name="dirfd"/>. Returns the descriptor, or -1 with errno set: ELOOP or EXDEV when a
    /// symlink was in the way (or led out), ENOENT when something is missing.
    /// </summary>
    /// <param name="linksInside">Follow symlinks that stay below the folder (a chain's prompt may be one); else none at all.</param>
    public static unsafe int OpenBeneath(int dirfd, string relative, int flags, int mode = 0, bool linksInside = false)
    {
        flags |= O_CLOEXEC;
        if (!s_noOpenat2 && !WalkOnThisThread)
        {
            var how = new OpenHow
            {
                Flags = (ulong)flags,
                Mode = (flags & O_CREAT) != 0 ? (ulong)mode : 0,
                Resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS | (linksInside ? 0 : RESOLVE_NO_SYMLINKS),
            };
            var fd = (int)SyscallOpenat2(SYS_openat2, dirfd, relative, &how, (nuint)sizeof(OpenHow));
            if (fd >= 0 || Marshal.GetLastPInvokeError() != ENOSYS)
                return fd;
            s_noOpenat2 = true;
        }
        return OpenByWalk(dirfd, relative, flags, mode);
    }

    /// <summary>
    /// The fallback: one openat(O_NOFOLLOW) per component, each below the previous one's descriptor.
    /// It follows no link at all, even one that stays inside (the walk cannot tell where a link leads
    /// without resolving it, which is the very thing to avoid).
    /// </summary>
    private static int OpenByWalk(int dirfd, string relative, int flags, int mode)
    {
        var parts = relative.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (relative.StartsWith('/') || parts.Any(p => p == ".."))
        {
            Marshal.SetLastPInvokeError(EXDEV);
            return -1;
        }
        var current = dirfd;
        try
        {
            for (var i = 0; i < parts.Length - 1; i++)
            {
                if (parts[i] == ".")
                    continue;
                var next = Openat(current, parts[i], O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0);
                if (next < 0)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    Marshal.SetLastPInvokeError(errno == ENOTDIR ? ELOOP : errno); // a symlink to a folder is "not a folder" under O_NOFOLLOW
                    return -1;
                }
                if (current != dirfd)
                    close(current);
                current = next;
            }
            return Openat(current, parts.Length == 0 ? "." : parts[^1], flags | O_NOFOLLOW | O_CLOEXEC, mode);
        }
        finally
        {
            if (current != dirfd)
            {
                var errno = Marshal.GetLastPInvokeError();
                close(current);
                Marshal.SetLastPInvokeError(errno);
            }
        }
    }
}
