namespace Baton.Server;

/// <summary>
/// Under `baton serve` as root, agents run as their workspace's user and start from a script in
/// their run folder, so every folder above the data folder must let other users pass (o+x). A data
/// folder under /root (0700) or a `mktemp -d` folder would otherwise make every agent fail with
/// "run.sh: Permission denied" and nothing would say why. The data folder itself is Baton's: DataRoot
/// makes it passable (0711); the folders above it are the operator's, so the server refuses to start
/// and says what to change instead of opening them up by itself.
/// </summary>
public static class DataFolderReach
{
    /// <summary>Why workspace users could not reach the data folder, with the fix; null when they can.</summary>
    public static string? Problem(string dataPath)
    {
        if (!OperatingSystem.IsLinux())
            return null;
        var data = Path.GetFullPath(dataPath);
        for (var folder = Path.GetDirectoryName(data); folder is not null; folder = Path.GetDirectoryName(folder))
        {
            if (!Directory.Exists(folder))
                continue;
            var mode = File.GetUnixFileMode(folder);
            if ((mode & UnixFileMode.OtherExecute) != 0)
                continue;
            return $"workspace users (baton-<workspace>) cannot reach the data folder {data}: {folder} is {Octal(mode)} and lets no other user pass, "
                + "so every agent would fail with \"run.sh: Permission denied\". "
                + $"Fix: put the data folder where every user may pass (e.g. --data /var/lib/baton), or let them pass through it: chmod o+x {folder}";
        }
        return null;
    }

    private static string Octal(UnixFileMode mode) => Convert.ToString((int)mode & 0x1FF, 8).PadLeft(4, '0');
}

public sealed class DataFolderUnreachableException(string message) : Exception(message);
