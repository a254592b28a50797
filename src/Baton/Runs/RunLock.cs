namespace Baton.Runs;

/// <summary>
/// Makes one engine the owner of a run: an exclusive flock on <c>lock</c>. The kernel drops it when
/// the process dies, so a kill -9 never leaves a stale lock. (.NET's own implicit file locking is
/// switched off for the whole process — see Directory.Build.props — so readers of a run's files
/// never collide with the engine; this is the one deliberate lock.) The owner writes its pid into
/// the lock file itself once it holds the lock — no second file to create per run.
/// </summary>
public sealed class RunLock : IDisposable
{
    private int _fd;

    private RunLock(int fd) => _fd = fd;

    public static RunLock? TryAcquire(string path)
    {
        var fd = Libc.OpenLocked(path, 0b110_100_100, wait: false);
        if (fd < 0)
            return null;
        // Always the same width, so it overwrites the last owner's pid without a truncate (which costs ext4 more than the write).
        var pid = System.Text.Encoding.ASCII.GetBytes($"{Environment.ProcessId, 10}\n");
        using (var handle = new Microsoft.Win32.SafeHandles.SafeFileHandle(fd, ownsHandle: false))
            RandomAccess.Write(handle, pid, 0);
        return new RunLock(fd);
    }

    /// <summary>True when some live process holds the run's lock (an engine is running it).</summary>
    public static bool IsHeld(string path)
    {
        if (!File.Exists(path))
            return false;
        using var probe = TryAcquire(path);
        return probe is null;
    }

    public static string Owner(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim() is { Length: > 0 } pid ? pid : "unknown";
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    public void Dispose()
    {
        var fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0)
            Libc.close(fd);
    }
}
