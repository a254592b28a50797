using Baton.Workspaces;
using Microsoft.Win32.SafeHandles;

namespace Baton.Health;

/// <summary>
/// The llm-calls day files this process appends to, each kept open (O_APPEND) for as long as its name still leads
/// to it. A call's health line was an open of the workspace root, one of the file below it, a statx, an lseek, the
/// write and two closes; with the file held it is an lstat of its path and the write.
/// </summary>
/// <remarks>
/// The file is opened the safe way (<see cref="WorkspaceDirectory.OpenAppend"/>: no link anywhere below the root)
/// and only ever written through that descriptor. Before each write the path must still name the same inode
/// (device and inode, the path itself not followed): a day file deleted, replaced, or a workspace removed and made
/// again under the same path is opened afresh — and a link put in its place is refused by that open, as before.
/// Callers hold CallHealth's lock.
/// </remarks>
internal static class HeldDayFiles
{
    /// <summary>More than this many files held (workspaces × days) and all are closed: a server's descriptors stay few.</summary>
    private const int MaxHeld = 16;

    private sealed record Held(SafeFileHandle Handle, (ulong Device, ulong Inode) Identity);

    private static readonly Dictionary<string, Held> Files = new(StringComparer.Ordinal);

    public static void Append(string root, string relative, ReadOnlySpan<byte> line)
    {
        var path = Path.Combine(root, relative);
        if (Files.Remove(path, out var held))
        {
            if (Libc.IdentityOf(path) == held.Identity)
            {
                Write(path, held, line);
                return;
            }
            held.Handle.Dispose();
        }
        var handle = WorkspaceDirectory.OpenAppend(root, relative, createParent: true);
        try
        {
            held = new Held(handle, Libc.IdentityOf((int)handle.DangerousGetHandle()));
        }
        catch
        {
            handle.Dispose();
            throw;
        }
        if (Files.Count >= MaxHeld)
            CloseAll();
        Write(path, held, line);
    }

    /// <summary>The line at the file's end (O_APPEND), the file then held again; a failed write closes it.</summary>
    private static void Write(string path, Held held, ReadOnlySpan<byte> line)
    {
        try
        {
            RandomAccess.Write(held.Handle, line, fileOffset: 0);
        }
        catch
        {
            held.Handle.Dispose();
            throw;
        }
        Files[path] = held;
    }

    private static void CloseAll()
    {
        foreach (var held in Files.Values)
            held.Handle.Dispose();
        Files.Clear();
    }
}
