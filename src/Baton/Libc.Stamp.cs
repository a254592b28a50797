namespace Baton;

internal static partial class Libc
{
    /// <summary>Size and modification time of a regular file at path itself; null for anything else (a link, a FIFO, a device, a folder) or nothing.</summary>
    /// <remarks>One statx without following a link and without opening: a FIFO is never opened, so it cannot block the caller.</remarks>
    public static unsafe (long Size, long ModifiedNs)? RegularFileStamp(string path)
    {
        const int AT_SYMLINK_NOFOLLOW = 0x100,
            ModeOffset = 28,
            SizeOffset = 40,
            MtimeOffset = 112,
            S_IFMT = 0xF000,
            S_IFREG = 0x8000;
        const uint STATX_TYPE = 0x1,
            STATX_MTIME = 0x40,
            STATX_SIZE = 0x200;
        var buffer = stackalloc byte[256];
        if (statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_TYPE | STATX_MTIME | STATX_SIZE, buffer) != 0)
            return null;
        if ((*(ushort*)(buffer + ModeOffset) & S_IFMT) != S_IFREG)
            return null;
        var size = *(long*)(buffer + SizeOffset);
        var modified = *(long*)(buffer + MtimeOffset) * 1_000_000_000L + *(uint*)(buffer + MtimeOffset + 8);
        return (size, modified);
    }
}
