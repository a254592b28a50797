namespace Baton.Runs;

/// <summary>
/// Guards against path tricks inside folders that untrusted scripts can write to: a run folder's
/// agents may plant symlinks, and names come from users.
/// </summary>
public static class SafePaths
{
    /// <summary>
    /// Creates (if needed) <paramref name="relative"/> under <paramref name="root"/>, refusing
    /// absolute paths, "..", NUL and any existing component that is a symlink.
    /// </summary>
    /// <exception cref="UnsafePathException">The path would leave root or passes through a symlink.</exception>
    public static string EnsureDirectory(string root, string relative) => EnsureDirectory(root, relative, out _);

    /// <param name="created">Whether the last folder was made by this call (not there before).</param>
    public static string EnsureDirectory(string root, string relative, out bool created)
    {
        created = false;
        var full = Resolve(root, relative);
        var fullRoot = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        var current = fullRoot == "/" ? "" : fullRoot;
        // One statx per component (every agent start checks its folders, so this is on the hand-off path).
        foreach (var part in full[current.Length..].Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            current = $"{current}/{part}";
            var kind = Libc.KindOf(current);
            created = false;
            if (kind == Libc.EntryKind.Missing)
            {
                if (Libc.Mkdir(current))
                    created = true;
                else
                    kind = Libc.KindOf(current); // made meanwhile by someone else
            }
            if (kind == Libc.EntryKind.Symlink)
                throw new UnsafePathException($"'{current}' is a symbolic link; refusing to follow it out of '{root}'");
            if (kind == Libc.EntryKind.Other)
                throw new IOException($"'{current}' exists and is not a folder");
        }
        return full;
    }

    /// <summary>Joins root and a relative path, refusing anything that would resolve outside root.</summary>
    public static string Resolve(string root, string relative)
    {
        if (relative.Contains('\0'))
            throw new UnsafePathException("path contains a NUL character");
        if (Path.IsPathRooted(relative))
            throw new UnsafePathException($"'{relative}' is an absolute path; give a path relative to '{root}'");
        var fullRoot = Path.GetFullPath(root);
        var full = Path.GetFullPath(Path.Combine(fullRoot, relative));
        if (full != fullRoot && !full.StartsWith(fullRoot.TrimEnd('/') + "/", StringComparison.Ordinal))
            throw new UnsafePathException($"'{relative}' points outside '{root}'");
        return full;
    }

    /// <summary>
    /// Reads a file an agent may have written, never through a symlink swapped in after any check
    /// (O_NOFOLLOW: as root, that would hand the agent a root-only file) and never blocking on a
    /// FIFO (O_NONBLOCK). At most maxBytes + 1 bytes are read, so the caller can tell "too big".
    /// </summary>
    /// <exception cref="IOException">Not readable, a symlink, or not a regular file's worth of bytes.</exception>
    public static byte[] ReadAgentFile(string path, int maxBytes)
    {
        const int O_NONBLOCK = 0x800;
        var fd = Libc.Open(path, Libc.O_RDONLY | Libc.O_CLOEXEC | Libc.O_NOFOLLOW | O_NONBLOCK);
        if (fd < 0)
        {
            var error = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            if (error == 2)
                throw new FileNotFoundException($"'{path}' is gone", path);
            throw new IOException(
                $"cannot open '{path}' (a symlink is refused): {System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(error)}"
            );
        }
        using var handle = new Microsoft.Win32.SafeHandles.SafeFileHandle(fd, ownsHandle: true);
        using var stream = new FileStream(handle, FileAccess.Read, bufferSize: 0);
        if (!stream.CanSeek)
            throw new IOException($"'{path}' is not a regular file (a FIFO or socket)");
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while (
            buffer.Length <= maxBytes
            && (read = stream.Read(chunk, 0, (int)Math.Min(chunk.Length, maxBytes + 1 - buffer.Length))) > 0
        )
            buffer.Write(chunk, 0, read);
        return buffer.ToArray();
    }

    /// <summary>True when the path exists and is a symlink (a file that a script may have swapped in).</summary>
    public static bool IsSymlink(string path)
    {
        return new FileInfo(path).LinkTarget is not null;
    }
}

public sealed class UnsafePathException(string message) : Exception(message);
