using System.Runtime.InteropServices;

namespace Baton;

/// <summary>
/// Making folders and files by a name relative to a folder held open (mkdirat, openat, renameat2 with a
/// descriptor): the kernel resolves one or two components instead of walking the whole path from '/' each time
/// (a new run's ten folders and five files were ten-component walks each, finding 55 of docs/performance.md),
/// and what the descriptor names cannot be swapped for something else between two calls.
/// </summary>
internal static partial class Libc
{
    [LibraryImport("libc", EntryPoint = "mkdirat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int MkdiratRaw(int dirfd, string path, int mode);

    /// <summary>mkdirat(2) with mode 0777 (less the umask) below the held folder; false when something is already there.</summary>
    /// <param name="folder">The held folder's path, for an error message (joined only then: a join per call was a
    /// tenth of a run's creation).</param>
    public static bool MkdirAt(int dirfd, string relative, string folder)
    {
        if (MkdiratRaw(dirfd, relative, 0b111_111_111) == 0)
            return true;
        var errno = Marshal.GetLastPInvokeError();
        return errno == EEXIST
            ? false
            : throw new IOException(
                $"cannot create folder '{Path.Combine(folder, relative)}': {Marshal.GetPInvokeErrorMessage(errno)}",
                errno
            );
    }

    /// <summary>
    /// Creates a new file below the held folder (O_EXCL: never one that is there, never through a planted link) and
    /// writes all of bytes: CreateAndWrite(createNew: true) by a relative name.
    /// </summary>
    /// <param name="folder">The held folder's path, for an error message.</param>
    public static Microsoft.Win32.SafeHandles.SafeFileHandle CreateNewAt(
        int dirfd,
        string relative,
        ReadOnlySpan<byte> bytes,
        string folder,
        int mode = 0b110_110_110
    )
    {
        const int O_WRONLY = 1,
            O_EXCL = 0x80;
        return CreateAndWriteAt(
            dirfd,
            relative,
            bytes,
            O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
            mode,
            folder
        );
    }

    /// <summary>TryRenameNoReplace between two names in one held folder: false when the target exists.</summary>
    public static bool TryRenameNoReplaceAt(int dirfd, string from, string to)
    {
        if (renameat2(dirfd, from, dirfd, to, RENAME_NOREPLACE) == 0)
            return true;
        var errno = Marshal.GetLastPInvokeError();
        return errno == EEXIST
            ? false
            : throw new IOException(
                $"cannot rename '{from}' to '{to}': {Marshal.GetPInvokeErrorMessage(errno)}",
                errno
            );
    }
}
