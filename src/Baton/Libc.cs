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

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int close(int fd);

    public const int O_RDWR = 2;
    public const int O_CREAT = 0x40;
    public const int LOCK_EX = 2;
    public const int LOCK_NB = 4;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int OpenMode(string path, int flags, int mode);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int flock(int fd, int operation);

    /// <summary>fsync a directory so a rename inside it is durable.</summary>
    public static void FsyncDirectory(string path)
    {
        var fd = Open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0) throw new IOException($"cannot open directory '{path}' to sync it: {Marshal.GetLastPInvokeErrorMessage()}");
        try
        {
            if (fsync(fd) != 0) throw new IOException($"fsync of directory '{path}' failed: {Marshal.GetLastPInvokeErrorMessage()}");
        }
        finally { close(fd); }
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
        finally { if (added) handle.DangerousRelease(); }
    }
}
