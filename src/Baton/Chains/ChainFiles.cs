namespace Baton.Chains;

/// <summary>Where a chain's referenced files may live, and a reader that enforces it.</summary>
public static class ChainFiles
{
    private const long MaxFileBytes = 1 << 20;

    /// <summary>
    /// The folder referenced files must stay inside: workspaceRoot when given; else the nearest
    /// folder at or above the chain that has a baton.yaml; else the parent of a `chains/` folder
    /// (the SPEC §1 layout, so `../prompts/x.md` works); else the chain's own folder.
    /// </summary>
    public static string FindRoot(string chainPath, string? workspaceRoot = null)
    {
        if (workspaceRoot is not null)
        {
            return Path.GetFullPath(workspaceRoot);
        }
        var chainFolder = Path.GetDirectoryName(Path.GetFullPath(chainPath))!;
        for (var folder = chainFolder; folder is not null; folder = Path.GetDirectoryName(folder))
        {
            if (File.Exists(Path.Combine(folder, "baton.yaml")))
            {
                return folder;
            }
        }
        return Path.GetFileName(chainFolder) == "chains" && Path.GetDirectoryName(chainFolder) is { } parent
            ? parent
            : chainFolder;
    }

    /// <summary>
    /// Reads paths relative to the chain file; null when missing; ChainReferenceException when the
    /// path leads outside root, through a link or otherwise. The kernel resolves it below root
    /// (WorkspaceDirectory, RESOLVE_BENEATH): what is checked is where the file really is, not the
    /// text of a link, so a link in a folder an agent can write (home/, work/) cannot hand the
    /// run snapshot — copied as root — a file of another workspace or of root.
    /// </summary>
    public static Func<string, string?> Reader(string chainPath, string root)
    {
        var chainFolder = Path.GetDirectoryName(Path.GetFullPath(chainPath))!;
        var fullRoot = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        return relativePath =>
        {
            var full = Path.GetFullPath(Path.Combine(chainFolder, relativePath));
            if (!IsInside(full, fullRoot))
            {
                throw new ChainReferenceException(
                    $"'{relativePath}' is outside the workspace ({fullRoot}); referenced files must live inside it"
                );
            }
            byte[]? bytes;
            try
            {
                bytes = Workspaces.WorkspaceDirectory.ReadFile(
                    fullRoot,
                    Path.GetRelativePath(fullRoot, full),
                    (int)MaxFileBytes,
                    linksInside: true
                );
            }
            catch (Runs.UnsafePathException)
            {
                throw new ChainReferenceException(
                    $"'{relativePath}' is a link to a file outside the workspace ({fullRoot}), or not a regular file"
                );
            }
            catch (DirectoryNotFoundException)
            {
                return null;
            }
            if (bytes is null)
            {
                return null;
            }
            if (bytes.Length > MaxFileBytes)
            {
                throw new ChainReferenceException($"'{relativePath}' is larger than 1 MiB");
            }
            var span = bytes.AsSpan();
            return System.Text.Encoding.UTF8.GetString(span.StartsWith("\uFEFF"u8) ? span[3..] : span);
        };
    }

    private static bool IsInside(string path, string root) =>
        path.StartsWith(
            Path.EndsInDirectorySeparator(root) ? root : root + Path.DirectorySeparatorChar,
            StringComparison.Ordinal
        );
}
