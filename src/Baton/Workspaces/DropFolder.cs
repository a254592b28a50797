using System.Globalization;
using System.Text.RegularExpressions;

namespace Baton.Workspaces;

/// <summary>
/// A workspace's drop/ folder, where files that start runs (`file:` triggers) appear. The tenant controls it,
/// and the server that looks is root: every folder is opened below the workspace with no link followed
/// (WorkspaceDirectory), every file is looked at with one statx that neither follows nor opens it (a FIFO
/// cannot block, a link is not a file), and a taken file is renamed between two held folders — root never
/// reads, writes or moves anything outside drop/, whatever is swapped in between.
/// </summary>
public static partial class DropFolder
{
    public const string Folder = "drop";
    public const string Taken = ".taken";
    private const int MaxDepth = 8;
    private const int MaxFiles = 10_000;

    public readonly record struct DroppedFile(string Relative, long Size, long ModifiedNs);

    /// <summary>Regular files under drop/ (paths relative to it), hidden names and .taken/ left out.</summary>
    public static List<DroppedFile> Scan(string workspaceRoot)
    {
        var found = new List<DroppedFile>();
        Walk(workspaceRoot, "", 0, found);
        return found;
    }

    private static void Walk(string root, string relative, int depth, List<DroppedFile> found)
    {
        WorkspaceDirectory.Held? held;
        try
        {
            held = WorkspaceDirectory.OpenFolder(root, relative.Length == 0 ? Folder : $"{Folder}/{relative}");
        }
        catch (Runs.UnsafePathException)
        {
            return; // a link where a folder was: nothing of the workspace's is there
        }
        if (held is null)
            return;
        List<string> folders = [];
        using (held)
        {
            foreach (var entry in new DirectoryInfo(held.Path).EnumerateFileSystemInfos())
            {
                if (entry.Name.StartsWith('.') || found.Count >= MaxFiles)
                    continue;
                var path = relative.Length == 0 ? entry.Name : $"{relative}/{entry.Name}";
                if (Libc.RegularFileStamp(held.Child(entry.Name)) is { } stamp)
                    found.Add(new DroppedFile(path, stamp.Size, stamp.ModifiedNs));
                else if (entry is DirectoryInfo && entry.LinkTarget is null && depth < MaxDepth)
                    folders.Add(path);
            }
        }
        foreach (var folder in folders)
            Walk(root, folder, depth + 1, found); // opened beneath again: a folder swapped for a link is refused
    }

    /// <summary>
    /// Moves drop/RELATIVE to drop/.taken/ under a new unique name and returns that path relative to the
    /// workspace; null when the file is gone or is no longer a regular file.
    /// </summary>
    public static string? Take(string workspaceRoot, string relative, DateTimeOffset now)
    {
        var slash = relative.LastIndexOf('/');
        var parent = slash < 0 ? Folder : $"{Folder}/{relative[..slash]}";
        var name = relative[(slash + 1)..];
        using var from = WorkspaceDirectory.OpenFolder(workspaceRoot, parent);
        using var taken = WorkspaceDirectory.OpenFolder(workspaceRoot, $"{Folder}/{Taken}", create: true)!;
        if (from is null || Libc.RegularFileStamp(from.Child(name)) is null)
            return null;
        var stamp = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff", CultureInfo.InvariantCulture);
        var flat = Unsafe().Replace(relative, "_");
        for (var n = 0; ; n++)
        {
            var target = n == 0 ? $"{stamp}-{flat}" : $"{stamp}-{n}-{flat}";
            // rename(2) does not follow its last component: the entry itself moves, whatever it is by now.
            try
            {
                if (Libc.TryRenameNoReplace(from.Child(name), taken.Child(target)))
                    return $"{Folder}/{Taken}/{target}";
            }
            catch (IOException)
            {
                return null; // gone meanwhile
            }
        }
    }

    [GeneratedRegex("[^A-Za-z0-9._-]")]
    private static partial Regex Unsafe();

    /// <summary>A `file:` glob as a test of a path relative to drop/: `*` and `?` within a name, `**` across folders.</summary>
    public static Regex Glob(string glob)
    {
        var pattern = Regex
            .Escape(glob)
            .Replace(@"\*\*/", "(?:.*/)?", StringComparison.Ordinal)
            .Replace(@"\*\*", ".*", StringComparison.Ordinal)
            .Replace(@"\*", "[^/]*", StringComparison.Ordinal)
            .Replace(@"\?", "[^/]", StringComparison.Ordinal);
        return new Regex($"^{pattern}$", RegexOptions.CultureInvariant);
    }
}
