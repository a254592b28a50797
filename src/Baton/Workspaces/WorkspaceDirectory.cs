using System.Runtime.InteropServices;
using Baton.Runs;
using Microsoft.Win32.SafeHandles;

namespace Baton.Workspaces;

/// <summary>
/// The one way root reaches a file inside a workspace (or a run folder) by a path relative to it:
/// every component is resolved by the kernel below the folder without following a symlink
/// (Libc.OpenBeneath: openat2 RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS), so a link an agent planted
/// anywhere on the way — `.baton`, `chains`, `runs`, a `*.tmp` next to the target — makes the
/// operation fail instead of leading into another workspace or to a root-only file.
/// Writes are atomic (a fresh temp file, O_EXCL, renamed over the target inside the folder held open).
/// A held folder is named <c>/proc/self/fd/N</c>: a path through it reaches the folder that was
/// opened, whatever is renamed or linked meanwhile, so .NET's own file APIs can be used below it.
/// </summary>
public static class WorkspaceDirectory
{
    /// <summary>A folder held open; <see cref="Path"/> reaches it (and only it) for as long as this lives.</summary>
    public sealed class Held(SafeFileHandle handle, string description) : IDisposable
    {
        public SafeFileHandle Handle { get; } = handle;
        public string Description { get; } = description;
        public int Fd => (int)Handle.DangerousGetHandle();
        public string Path => $"/proc/self/fd/{Fd}";

        /// <summary>A path to the entry <paramref name="name"/> in this folder (a single name: no '/').</summary>
        public string Child(string name) =>
            name.Length == 0 || name.Contains('/') || name is "." or ".." || name.Contains('\0')
                ? throw new UnsafePathException($"'{name}' is not a file name")
                : $"{Path}/{name}";

        public void Dispose() => Handle.Dispose();
    }

    /// <summary>Opens the folder <paramref name="relative"/> below root ("" or "." for root itself); null when it does not exist.</summary>
    /// <exception cref="UnsafePathException">A symlink (or a file) is in the way.</exception>
    public static Held? OpenFolder(string root, string relative, bool create = false)
    {
        using var rootFd = OpenRoot(root);
        relative = Normalize(relative);
        var fd = Libc.OpenBeneath(rootFd.Fd, relative, Libc.O_RDONLY | Libc.O_DIRECTORY);
        if (fd >= 0)
            return new Held(new SafeFileHandle(fd, ownsHandle: true), System.IO.Path.Combine(root, relative));
        // Made part by part only when missing: the walk cost two opens per part on every append to a log whose
        // folder has long been there (three appends per LLM call in W2S).
        if (create && relative != "." && Marshal.GetLastPInvokeError() == Libc.ENOENT)
        {
            var prefix = "";
            foreach (var part in relative.Split('/'))
            {
                var parent = prefix.Length == 0 ? "." : prefix;
                prefix = prefix.Length == 0 ? part : $"{prefix}/{part}";
                var probe = Libc.OpenBeneath(rootFd.Fd, prefix, Libc.O_PATH | Libc.O_DIRECTORY);
                if (probe >= 0)
                {
                    Libc.close(probe);
                    continue;
                }
                if (Marshal.GetLastPInvokeError() != Libc.ENOENT)
                    throw Refusal(root, prefix);
                using var held = OpenFolder(root, parent) ?? throw Refusal(root, parent);
                Libc.Mkdir(held.Child(part)); // false: made meanwhile; the next open checks what it is
            }
            fd = Libc.OpenBeneath(rootFd.Fd, relative, Libc.O_RDONLY | Libc.O_DIRECTORY);
        }
        if (fd >= 0)
            return new Held(new SafeFileHandle(fd, ownsHandle: true), System.IO.Path.Combine(root, relative));
        return Marshal.GetLastPInvokeError() == Libc.ENOENT ? null : throw Refusal(root, relative);
    }

    /// <summary>A regular file below root opened for reading; null when it does not exist.</summary>
    /// <param name="linksInside">Follow symlinks that stay below root (a chain's prompt files); never one that leads out.</param>
    /// <exception cref="UnsafePathException">A symlink (or, with linksInside, one leading out) is in the way, or it is not a regular file.</exception>
    public static FileStream? OpenRead(string root, string relative, bool linksInside = false, int bufferSize = 4096)
    {
        using var rootFd = OpenRoot(root);
        const int O_NONBLOCK = 0x800; // a FIFO planted in its place must not hang the reader
        var fd = Libc.OpenBeneath(rootFd.Fd, Normalize(relative), Libc.O_RDONLY | O_NONBLOCK, linksInside: linksInside);
        if (fd < 0)
            return Marshal.GetLastPInvokeError() == Libc.ENOENT ? null : throw Refusal(root, relative);
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        if (!Libc.IsRegularFile(fd))
        {
            handle.Dispose();
            throw new UnsafePathException($"'{relative}' in '{root}' is not a regular file");
        }
        return new FileStream(handle, FileAccess.Read, bufferSize);
    }

    /// <summary>The bytes of a regular file below root (at most maxBytes + 1, so "too big" shows); null when it does not exist.</summary>
    /// <exception cref="UnsafePathException">A symlink (or, with linksInside, one leading out) is in the way, or it is not a regular file.</exception>
    public static byte[]? ReadFile(string root, string relative, int maxBytes, bool linksInside = false)
    {
        using var stream = OpenRead(root, relative, linksInside, bufferSize: 0);
        if (stream is null)
            return null;
        // Sized by the file (one byte more, to see a file that grew or is too big), grown only if it grows: an
        // 80 KB chunk and a MemoryStream per read made a server's chain reads a tenth of its POST /runs (W2S).
        var limit = (long)maxBytes + 1;
        var buffer = new byte[Math.Min(stream.Length + 1, limit)];
        var length = 0;
        while (length < limit)
        {
            if (length == buffer.Length)
                Array.Resize(ref buffer, (int)Math.Min(Math.Min(2L * buffer.Length, limit), Array.MaxLength));
            var read = stream.Read(buffer, length, buffer.Length - length);
            if (read == 0)
                break;
            length += read;
        }
        return length == buffer.Length ? buffer : buffer[..length];
    }

    /// <summary>UTF-8 text of a file below root (a byte-order mark dropped), or null when it does not exist.</summary>
    /// <exception cref="IOException">It is larger than maxBytes.</exception>
    public static string? ReadText(string root, string relative, int maxBytes = 16 << 20, bool linksInside = false)
    {
        if (ReadFile(root, relative, maxBytes, linksInside) is not { } bytes)
            return null;
        if (bytes.Length > maxBytes)
            throw new IOException($"'{relative}' in '{root}' is larger than {maxBytes} bytes");
        var span = bytes.AsSpan();
        return System.Text.Encoding.UTF8.GetString(span.StartsWith("\uFEFF"u8) ? span[3..] : span);
    }

    /// <summary>The lines of a UTF-8 text file below root, read as they are enumerated (no size limit); none when it does not exist.</summary>
    /// <exception cref="UnsafePathException">A symlink is in the way, or it is not a regular file.</exception>
    public static IEnumerable<string> ReadLines(string root, string relative)
    {
        using var stream = OpenRead(root, relative, bufferSize: 0);
        if (stream is null)
            yield break;
        using var reader = new StreamReader(stream, System.Text.Encoding.UTF8);
        while (reader.ReadLine() is { } line)
            yield return line;
    }

    /// <summary>
    /// Replaces (or creates) a file below root atomically and durably: a temp file made fresh (O_EXCL,
    /// so a planted `*.tmp` link is never written through) in the held parent, fsync'd, renamed over the target, the folder fsync'd.
    /// </summary>
    /// <exception cref="UnsafePathException">A symlink is in the way of the parent folder.</exception>
    public static void WriteFile(
        string root,
        string relative,
        ReadOnlySpan<byte> bytes,
        int mode = 0b110_100_100,
        bool createParent = false
    )
    {
        relative = Normalize(relative);
        using var parent = OpenParent(root, relative, createParent, out var name);
        var temp = parent.Child($".{name}.{Guid.NewGuid():N}.tmp");
        using (var handle = Libc.CreateAndWrite(temp, bytes, mode: mode, createNew: true))
        {
            Libc.Fsync(handle, temp);
        }
        try
        {
            File.Move(temp, parent.Child(name), overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
        Libc.fsync(parent.Fd);
    }

    /// <summary>
    /// Renames a regular file below root to another name below root, replacing what is there in one
    /// rename(2): a reader sees the old file or the new one, never a mix. Both parent folders are held open
    /// (made when missing), so a link swapped in on the way is never followed. Both folders are fsync'd.
    /// </summary>
    /// <exception cref="UnsafePathException">A symlink is in the way, or the source is no regular file.</exception>
    public static void Move(string root, string fromRelative, string toRelative)
    {
        if (KindOf(root, fromRelative) != Libc.EntryKind.File)
            throw new UnsafePathException($"'{fromRelative}' in '{root}' is not a regular file");
        var (fromParent, fromName) = Split(Normalize(fromRelative));
        var (toParent, toName) = Split(Normalize(toRelative));
        using var source = OpenFolder(root, fromParent) ?? throw new FileNotFoundException(fromRelative);
        using var target = OpenFolder(root, toParent, create: true)
            ?? throw new DirectoryNotFoundException($"'{toParent}' does not exist in '{root}'");
        File.Move(source.Child(fromName), target.Child(toName), overwrite: true);
        Libc.fsync(target.Fd);
        Libc.fsync(source.Fd);
    }

    /// <summary>Removes a file below root (a symlink there is removed itself, never its target); false when there was none.</summary>
    public static bool Delete(string root, string relative)
    {
        var (parentRelative, name) = Split(Normalize(relative));
        using var parent = OpenFolder(root, parentRelative);
        var path = parent?.Child(name);
        if (path is null || !File.Exists(path) && new FileInfo(path).LinkTarget is null)
            return false;
        File.Delete(path);
        Libc.fsync(parent!.Fd);
        return true;
    }

    /// <summary>The held parent folder of a normalized relative path (made when asked), and the last name in it.</summary>
    private static Held OpenParent(string root, string normalized, bool create, out string name)
    {
        (var parentRelative, name) = Split(normalized);
        return OpenFolder(root, parentRelative, create)
            ?? throw new DirectoryNotFoundException($"'{parentRelative}' does not exist in '{root}'");
    }

    private static (string Parent, string Name) Split(string normalized)
    {
        var slash = normalized.LastIndexOf('/');
        return slash < 0 ? (".", normalized) : (normalized[..slash], normalized[(slash + 1)..]);
    }

    /// <summary>
    /// Appends to a file below root (created with <paramref name="mode"/> when missing) in one write, so lines
    /// appended by several writers never interleave. Neither the file nor a folder on the way may be a symlink,
    /// and it must be a regular file (opened O_NONBLOCK: a FIFO planted there cannot hang the writer).
    /// </summary>
    /// <exception cref="UnsafePathException">A symlink or something other than a regular file is in the way.</exception>
    public static void Append(
        string root,
        string relative,
        ReadOnlySpan<byte> bytes,
        bool fsync = false,
        int mode = 0b110_100_100,
        bool createParent = false
    )
    {
        using var handle = OpenAppend(root, relative, mode, createParent);
        RandomAccess.Write(handle, bytes, fileOffset: 0); // O_APPEND: the kernel writes at the end whatever the offset
        if (fsync)
            Libc.Fsync(handle, System.IO.Path.Combine(root, relative));
    }

    /// <summary>
    /// A regular file below root opened to append to (every write lands at its end, whatever the offset), created
    /// with <paramref name="mode"/> when missing. The same rules as <see cref="Append"/>.
    /// </summary>
    /// <exception cref="UnsafePathException">A symlink or something other than a regular file is in the way.</exception>
    public static SafeFileHandle OpenAppend(
        string root,
        string relative,
        int mode = 0b110_100_100,
        bool createParent = false
    )
    {
        relative = Normalize(relative);
        const int O_WRONLY = 1,
            O_APPEND = 0x400,
            O_NONBLOCK = 0x800,
            flags = O_WRONLY | O_APPEND | Libc.O_CREAT | O_NONBLOCK;
        int fd,
            errno;
        // The usual case, a log whose folder exists, in one open below root (the same no-link rule on the whole
        // path); the parent is opened, and made when asked, only when that open finds it missing.
        using (var rootFd = OpenRoot(root))
        {
            fd = Libc.OpenBeneath(rootFd.Fd, relative, flags, mode);
            errno = Marshal.GetLastPInvokeError(); // before the root's close can set it
        }
        if (fd < 0 && errno == Libc.ENOENT)
        {
            using var parent = OpenParent(root, relative, createParent, out var name);
            fd = Libc.OpenBeneath(parent.Fd, name, flags, mode);
            errno = Marshal.GetLastPInvokeError();
        }
        if (fd < 0)
            throw Refusal(root, relative, errno);
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        if (!Libc.IsRegularFile(fd))
        {
            handle.Dispose();
            throw new UnsafePathException($"'{relative}' in '{root}' is not a regular file");
        }
        return handle;
    }

    /// <summary>What is at relative below root (a symlink there or on the way counts as Symlink).</summary>
    internal static Libc.EntryKind KindOf(string root, string relative)
    {
        using var rootFd = OpenRoot(root);
        var fd = Libc.OpenBeneath(rootFd.Fd, Normalize(relative), Libc.O_PATH);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno == Libc.ENOENT ? Libc.EntryKind.Missing
                : errno is Libc.ELOOP or Libc.EXDEV ? Libc.EntryKind.Symlink
                : throw Refusal(root, relative);
        }
        try
        {
            return Libc.KindOf(fd);
        }
        finally
        {
            Libc.close(fd);
        }
    }

    /// <summary>True when relative is a folder below root, reached without any symlink.</summary>
    public static bool IsFolder(string root, string relative) => KindOf(root, relative) == Libc.EntryKind.Directory;

    /// <summary>True when relative is a regular file below root, reached without any symlink.</summary>
    public static bool IsFile(string root, string relative) => KindOf(root, relative) == Libc.EntryKind.File;

    /// <summary>The names of the regular files (or, with folders, the folders) in a folder below root; none when it does not exist.</summary>
    /// <exception cref="UnsafePathException">A symlink is in the way.</exception>
    public static List<string> Names(string root, string relativeFolder, bool folders = false)
    {
        using var held = OpenFolder(root, relativeFolder);
        if (held is null)
            return [];
        var names = new List<string>();
        foreach (var entry in new DirectoryInfo(held.Path).EnumerateFileSystemInfos())
        {
            // LinkTarget is read with lstat: a symlink is neither a file nor a folder here.
            if (entry.LinkTarget is not null)
                continue;
            if (
                folders
                    ? entry is DirectoryInfo
                    : entry is FileInfo
                        && (entry.Attributes & (FileAttributes.Device | FileAttributes.ReparsePoint)) == 0
            )
                names.Add(entry.Name);
        }
        names.Sort(StringComparer.Ordinal);
        return names;
    }

    private static Held OpenRoot(string root)
    {
        var fd = Libc.Open(root, Libc.O_PATH | Libc.O_DIRECTORY | Libc.O_CLOEXEC);
        if (fd < 0)
            throw new DirectoryNotFoundException($"cannot open '{root}': {Marshal.GetLastPInvokeErrorMessage()}");
        return new Held(new SafeFileHandle(fd, ownsHandle: true), root);
    }

    /// <summary>A relative path as the kernel will resolve it below root; ".." and absolute paths are refused here already.</summary>
    private static string Normalize(string relative)
    {
        if (relative.Contains('\0'))
            throw new UnsafePathException("path contains a NUL character");
        if (relative.StartsWith('/'))
            throw new UnsafePathException($"'{relative}' is an absolute path");
        var parts = relative.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToList();
        if (parts.Contains(".."))
            throw new UnsafePathException($"'{relative}' leads out of its folder ('..')");
        return parts.Count == 0 ? "." : string.Join('/', parts);
    }

    private static UnsafePathException Refusal(string root, string relative) =>
        Refusal(root, relative, Marshal.GetLastPInvokeError());

    private static UnsafePathException Refusal(string root, string relative, int errno)
    {
        return new UnsafePathException(
            errno is Libc.ELOOP or Libc.EXDEV or Libc.ENOTDIR
                ? $"'{relative}' in '{root}' passes through a symbolic link (or leads out of the folder); refusing to follow it"
                : $"cannot open '{relative}' in '{root}': {Marshal.GetPInvokeErrorMessage(errno)}"
        );
    }
}
