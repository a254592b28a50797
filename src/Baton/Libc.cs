using System.Runtime.InteropServices;

namespace Baton;

internal static partial class Libc
{
    public const int O_RDONLY = 0;
    public const int O_DIRECTORY = 0x10000;
    public const int O_CLOEXEC = 0x80000;

    [LibraryImport("libc", SetLastError = true)]
    public static partial int fsync(int fd);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int syncfs(int fd);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int statx(int dirfd, string path, int flags, uint mask, byte* buffer);

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial nint pwrite(int fd, byte* buffer, nint count, long offset);

    /// <summary>
    /// Creates (or truncates, or appends to) a file and writes all of bytes: open + pwrite, two system calls where
    /// File.OpenHandle + RandomAccess.Write make four (fstat, lseek). Every event file is written this way.
    /// </summary>
    /// <param name="append">Append (O_APPEND: a line written by several processes at once stays whole) instead of replacing.</param>
    /// <param name="mode">Permissions of a new file (less the umask).</param>
    /// <param name="createNew">Fail if anything (a file, a planted symlink) is already there (O_EXCL).</param>
    public static Microsoft.Win32.SafeHandles.SafeFileHandle CreateAndWrite(
        string path,
        ReadOnlySpan<byte> bytes,
        bool append = false,
        int mode = 0b110_110_110,
        bool createNew = false
    )
    {
        // Never through a symlink: every caller writes a file of Baton's own, where a link could only be planted.
        const int O_WRONLY = 1,
            O_EXCL = 0x80,
            O_TRUNC = 0x200,
            O_APPEND = 0x400;
        return CreateAndWriteAt(
            AT_FDCWD,
            path,
            bytes,
            O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW | (append ? O_APPEND : O_TRUNC) | (createNew ? O_EXCL : 0),
            mode,
            folder: null
        );
    }

    /// <summary>openat(2) of a file with these flags below dirfd (AT_FDCWD: a path), then all of bytes written.</summary>
    /// <param name="folder">The held folder's path when dirfd is one, for an error message (joined only then: a join
    /// per call was a tenth of a run's creation).</param>
    private static Microsoft.Win32.SafeHandles.SafeFileHandle CreateAndWriteAt(
        int dirfd,
        string path,
        ReadOnlySpan<byte> bytes,
        int flags,
        int mode,
        string? folder
    )
    {
        var fd = Openat(dirfd, path, flags, mode);
        if (fd < 0)
            throw new IOException(
                $"cannot create '{(folder is null ? path : Path.Combine(folder, path))}': {Marshal.GetLastPInvokeErrorMessage()}",
                Marshal.GetLastPInvokeError()
            );
        return WriteAll(fd, bytes, path);
    }

    /// <summary>Writes all of bytes from offset 0 to a file just opened (fd, owned by the handle returned; closed on failure).</summary>
    private static unsafe Microsoft.Win32.SafeHandles.SafeFileHandle WriteAll(
        int fd,
        ReadOnlySpan<byte> bytes,
        string description
    )
    {
        var handle = new Microsoft.Win32.SafeHandles.SafeFileHandle(fd, ownsHandle: true);
        try
        {
            fixed (byte* start = bytes)
            {
                for (var written = 0; written < bytes.Length; )
                {
                    var n = pwrite(fd, start + written, bytes.Length - written, written);
                    if (n > 0)
                        written += (int)n;
                    else if (n == 0 || Marshal.GetLastPInvokeError() != EINTR)
                        throw new IOException(
                            $"cannot write '{description}': {(n == 0 ? "nothing was written" : Marshal.GetLastPInvokeErrorMessage())}",
                            Marshal.GetLastPInvokeError()
                        );
                }
            }
            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>File is only told apart (from Other) by KindOf(fd); KindOf(path) says Other for every non-folder.</summary>
    public enum EntryKind
    {
        Missing,
        Directory,
        Symlink,
        Other,
        File,
    }

    /// <summary>What is at path itself (a symlink is not followed), in one statx call.</summary>
    /// <exception cref="IOException">It can't be looked at (no permission, a parent is a file).</exception>
    public static unsafe EntryKind KindOf(string path)
    {
        const int AT_SYMLINK_NOFOLLOW = 0x100,
            ModeOffset = 28,
            S_IFMT = 0xF000,
            S_IFDIR = 0x4000,
            S_IFLNK = 0xA000;
        const uint STATX_TYPE = 1;
        var buffer = stackalloc byte[256];
        if (statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_TYPE, buffer) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno == ENOENT
                ? EntryKind.Missing
                : throw new IOException($"cannot look at '{path}': {Marshal.GetPInvokeErrorMessage(errno)}", errno);
        }
        return (*(ushort*)(buffer + ModeOffset) & S_IFMT) switch
        {
            S_IFDIR => EntryKind.Directory,
            S_IFLNK => EntryKind.Symlink,
            _ => EntryKind.Other,
        };
    }

    /// <summary>What an open descriptor is (statx AT_EMPTY_PATH: the file itself, whatever its name now leads to).</summary>
    public static unsafe EntryKind KindOf(int fd)
    {
        const int AT_EMPTY_PATH = 0x1000,
            ModeOffset = 28,
            S_IFMT = 0xF000,
            S_IFDIR = 0x4000,
            S_IFLNK = 0xA000,
            S_IFREG = 0x8000;
        const uint STATX_TYPE = 1;
        var buffer = stackalloc byte[256];
        if (statx(fd, "", AT_EMPTY_PATH, STATX_TYPE, buffer) != 0)
            throw new IOException($"cannot look at descriptor {fd}: {Marshal.GetLastPInvokeErrorMessage()}");
        return (*(ushort*)(buffer + ModeOffset) & S_IFMT) switch
        {
            S_IFDIR => EntryKind.Directory,
            S_IFLNK => EntryKind.Symlink,
            S_IFREG => EntryKind.File,
            _ => EntryKind.Other,
        };
    }

    /// <summary>The owner's uid of what is at path itself (a symlink is not followed), or -1 when it is gone.</summary>
    public static unsafe long OwnerOf(string path)
    {
        const int AT_SYMLINK_NOFOLLOW = 0x100,
            UidOffset = 20;
        const uint STATX_UID = 8;
        var buffer = stackalloc byte[256];
        return statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_UID, buffer) == 0 ? *(uint*)(buffer + UidOffset) : -1;
    }

    /// <summary>Which file is at path itself (a symlink is not followed): its device and inode, or null when nothing is there.</summary>
    public static unsafe (ulong Device, ulong Inode)? IdentityOf(string path)
    {
        var buffer = stackalloc byte[256];
        return
            statx(
                AT_FDCWD,
                path,
                0x100 /* AT_SYMLINK_NOFOLLOW */
                ,
                StatxIno,
                buffer
            ) == 0
            ? Identity(buffer)
            : null;
    }

    /// <summary>The device and inode of an open descriptor's file (statx AT_EMPTY_PATH).</summary>
    public static unsafe (ulong Device, ulong Inode) IdentityOf(int fd)
    {
        var buffer = stackalloc byte[256];
        return
            statx(
                fd,
                "",
                0x1000 /* AT_EMPTY_PATH */
                ,
                StatxIno,
                buffer
            ) == 0
            ? Identity(buffer)
            : throw new IOException($"cannot look at descriptor {fd}: {Marshal.GetLastPInvokeErrorMessage()}");
    }

    private const uint StatxIno = 0x100;

    // struct statx: stx_ino at 32, stx_dev_major and stx_dev_minor at 136 and 140 (the same on every architecture).
    private static unsafe (ulong, ulong) Identity(byte* statx) =>
        (((ulong)*(uint*)(statx + 136) << 32) | *(uint*)(statx + 140), *(ulong*)(statx + 32));

    [LibraryImport("libc")]
    public static partial uint geteuid();

    [LibraryImport("libc")]
    public static partial uint getegid();

    public static bool IsRegularFile(int fd) => KindOf(fd) == EntryKind.File;

    [LibraryImport("libc", EntryPoint = "mkdir", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int MkdirRaw(string path, int mode);

    /// <summary>mkdir(2) with mode 0777 (less the umask); false when something is already there.</summary>
    public static bool Mkdir(string path)
    {
        if (MkdirRaw(path, 0b111_111_111) == 0)
            return true;
        var errno = Marshal.GetLastPInvokeError();
        return errno == EEXIST
            ? false
            : throw new IOException($"cannot create folder '{path}': {Marshal.GetPInvokeErrorMessage(errno)}", errno);
    }

    /// <summary>The device of the filesystem holding path (from statx, whose layout is the same on every architecture), or null.</summary>
    public static unsafe ulong? DeviceOf(string path)
    {
        const int AT_SYMLINK_NOFOLLOW = 0x100,
            DevMajorOffset = 136,
            DevMinorOffset = 140;
        var buffer = stackalloc byte[256];
        if (statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, 0, buffer) != 0)
            return null;
        return ((ulong)*(uint*)(buffer + DevMajorOffset) << 32) | *(uint*)(buffer + DevMinorOffset);
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int close(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int dup2(int oldFd, int newFd);

    /// <summary>
    /// Grows this process's descriptor table to hold <paramref name="count"/> descriptors now, once.
    /// The kernel grows it by doubling, and each growth in a multi-threaded process waits for an RCU
    /// grace period while every other thread opening a file waits too (docs/performance.md).
    /// </summary>
    public static void ReserveDescriptors(int count)
    {
        var any = Open("/dev/null", O_RDONLY | O_CLOEXEC);
        if (any < 0)
            return;
        // Past the process's limit dup2 fails: then as many as the limit allows (halving), else the table grows as it goes.
        for (var n = count; n >= 1024; n /= 2)
        {
            if (dup2(any, n - 1) < 0)
                continue;
            close(n - 1);
            break;
        }
        close(any);
    }

    public const int O_RDWR = 2;
    public const int O_CREAT = 0x40;
    public const int LOCK_EX = 2;
    public const int LOCK_NB = 4;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int OpenMode(string path, int flags, int mode);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int flock(int fd, int operation);

    public const int EINTR = 4;
    public const int O_NOFOLLOW = 0x20000;

    /// <summary>
    /// Opens (creating it with mode) a lock file and takes an exclusive flock on it, which the kernel
    /// drops when the process dies. Returns the descriptor, or -1 when <paramref name="wait"/> is false
    /// and it can't be had at once (another process holds it).
    /// </summary>
    /// <exception cref="IOException">The file can't be opened, or (waiting) locked.</exception>
    public static int OpenLocked(string path, int mode, bool wait)
    {
        var fd = OpenMode(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, mode); // never a planted link to some other file
        if (fd < 0)
            throw new IOException($"cannot open lock file '{path}': {Marshal.GetLastPInvokeErrorMessage()}");
        while (flock(fd, wait ? LOCK_EX : LOCK_EX | LOCK_NB) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno == EINTR)
                continue;
            close(fd);
            return wait
                ? throw new IOException($"cannot lock '{path}': {Marshal.GetPInvokeErrorMessage(errno)}", errno)
                : -1;
        }
        return fd;
    }

    /// <summary>lchown, never chown: a folder an agent could write may hold a symlink planted to redirect us.</summary>
    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int lchown(string path, int owner, int group);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int renameat2(int olddirfd, string oldpath, int newdirfd, string newpath, uint flags);

    private const int AT_FDCWD = -100;
    private const uint RENAME_NOREPLACE = 1;
    internal const int EEXIST = 17;

    /// <summary>
    /// rename(2) that refuses to replace an existing file: what File.Move(a, b) does, in one system call
    /// instead of four (.NET checks both paths first). Event files are renamed into place on every hand-off.
    /// </summary>
    public static void RenameNoReplace(string from, string to)
    {
        if (renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
            return;
        var errno = Marshal.GetLastPInvokeError();
        if (errno == EEXIST)
            throw new IOException($"cannot rename '{from}' to '{to}': the target already exists");
        throw new IOException($"cannot rename '{from}' to '{to}': {Marshal.GetPInvokeErrorMessage(errno)}", errno);
    }

    /// <summary>RenameNoReplace that answers false instead of throwing when the target exists (a run id just taken).</summary>
    public static bool TryRenameNoReplace(string from, string to) => TryRenameNoReplaceAt(AT_FDCWD, from, to);

    /// <summary>fsync a directory so a rename inside it is durable.</summary>
    public static void FsyncDirectory(string path)
    {
        var fd = Open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
            throw new IOException($"cannot open directory '{path}' to sync it: {Marshal.GetLastPInvokeErrorMessage()}");
        try
        {
            if (fsync(fd) != 0)
                throw new IOException($"fsync of directory '{path}' failed: {Marshal.GetLastPInvokeErrorMessage()}");
        }
        finally
        {
            close(fd);
        }
    }

    public static void Fsync(Microsoft.Win32.SafeHandles.SafeFileHandle handle, string pathForErrors)
    {
        var added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            if (fsync((int)handle.DangerousGetHandle()) != 0)
                throw new IOException($"fsync of '{pathForErrors}' failed: {Marshal.GetLastPInvokeErrorMessage()}");
        }
        finally
        {
            if (added)
                handle.DangerousRelease();
        }
    }
}
