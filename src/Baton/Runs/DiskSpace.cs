namespace Baton.Runs;

/// <summary>
/// A full disk (or quota). Each workspace keeps a small reserve file, <c>runs/.disk-reserve</c>: when the engine
/// finds the disk full, it deletes the reserve to make room for its last words — the failed agents' events and the
/// run's end — so the run that hit the disk fails at once, with reason <c>disk</c>, instead of staying "running"
/// (and being re-run at the next start). The reserve is made again by the next engine that finds space for it.
/// </summary>
public static class DiskSpace
{
    private const int ENOSPC = 28,
        EDQUOT = 122;

    /// <summary>Room for a few dozen event files (a block each on ext4 and tmpfs) and their folder's growth.</summary>
    internal const int ReserveBytes = 128 * 1024;

    public static string ReservePath(string runsRoot) => Path.Combine(runsRoot, ".disk-reserve");

    /// <summary>Whether e (or what it wraps) says the disk or the quota is full.</summary>
    public static bool IsFull(Exception? e) =>
        e switch
        {
            null => false,
            IOException io
                when io.HResult is ENOSPC or EDQUOT
                    || io.Message.Contains("No space left on device", StringComparison.Ordinal)
                    || io.Message.Contains("Disk quota exceeded", StringComparison.Ordinal) => true,
            AggregateException many => many.InnerExceptions.Any(IsFull),
            _ => IsFull(e.InnerException),
        };

    /// <summary>Makes the reserve unless it is there (one failed open when it is). No room for it: none, until a later engine finds some.</summary>
    public static void EnsureReserve(string runsRoot)
    {
        var path = ReservePath(runsRoot);
        try
        {
            Libc.CreateAndWrite(path, new byte[ReserveBytes], createNew: true).Dispose();
        }
        catch (IOException) when (!File.Exists(path) || new FileInfo(path).Length < ReserveBytes)
        {
            try
            {
                File.Delete(path);
            }
            catch (IOException) { } // a partial reserve holds space nobody would free
        }
        catch (IOException) { } // already there
    }

    /// <summary>Frees the reserve; false when there was none.</summary>
    public static bool ReleaseReserve(string runsRoot)
    {
        try
        {
            var path = ReservePath(runsRoot);
            if (!File.Exists(path))
                return false;
            File.Delete(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
