using Baton.Workspaces;

namespace Baton.Chains;

/// <summary>
/// Every chain stored in a workspace's chains/, read below the workspace without following links (on a
/// server, root reads them). Parsed through ChainCache, so a trigger loop that looks every second parses
/// a chain again only when its text changed.
/// </summary>
public static class WorkspaceChains
{
    public sealed record Entry(string Name, string File, string Text, Chain? Chain, IReadOnlyList<ChainError> Errors);

    /// <summary>
    /// What chains/ holds now, for caches of what its chains say: each `*.yaml` entry's name, size and modification
    /// time (a link or other non-file as such), in one listing and one statx per file, none of them opened or read.
    /// Null when it cannot vouch for the files: chains/ is missing or a link, or a file changed within the last
    /// <paramref name="settle"/> (an edit in the same clock tick as the one stamped would leave the stamp as it was).
    /// </summary>
    public static string? Stamp(string workspaceRoot, DateTimeOffset now, TimeSpan settle)
    {
        WorkspaceDirectory.Held? held;
        try
        {
            held = WorkspaceDirectory.OpenFolder(workspaceRoot, "chains");
        }
        catch (Runs.UnsafePathException)
        {
            return null;
        }
        if (held is null)
            return null;
        using (held)
        {
            var newest = (now - settle).ToUnixTimeMilliseconds() * 1_000_000L;
            var stamp = new System.Text.StringBuilder();
            var names = Directory.EnumerateFileSystemEntries(held.Path, "*.yaml").Select(Path.GetFileName).ToList();
            names.Sort(StringComparer.Ordinal);
            foreach (var name in names)
            {
                stamp.Append(name).Append('/');
                if (Libc.RegularFileStamp(held.Child(name!)) is not { } file)
                    stamp.Append("not a file");
                else if (file.ModifiedNs >= newest)
                    return null;
                else
                    stamp.Append(file.Size).Append('/').Append(file.ModifiedNs);
                stamp.Append('\n');
            }
            return stamp.ToString();
        }
    }

    public static IReadOnlyList<Entry> Load(string workspaceRoot)
    {
        var entries = new List<Entry>();
        List<string> names;
        try
        {
            names = WorkspaceDirectory.Names(workspaceRoot, "chains");
        }
        catch (Runs.UnsafePathException)
        {
            return entries; // chains/ is a link: nothing there is the workspace's
        }
        foreach (var fileName in names.Where(n => n.EndsWith(".yaml", StringComparison.Ordinal)))
        {
            var file = Path.Combine(workspaceRoot, "chains", fileName);
            var text = "";
            try
            {
                text = WorkspaceDirectory.ReadText(workspaceRoot, $"chains/{fileName}", ChainLimits.MaxBytes) ?? "";
                if (text.Length == 0)
                    continue;
                var chain = Runs.ChainCache.Load(file, text, ChainFiles.Reader(file, workspaceRoot));
                entries.Add(new Entry(chain.Name, file, text, chain, []));
            }
            catch (ChainValidationException e)
            {
                entries.Add(new Entry(Path.GetFileNameWithoutExtension(fileName), file, text, null, e.Errors));
            }
            catch (Exception e) when (e is IOException or Runs.UnsafePathException)
            {
                entries.Add(
                    new Entry(
                        Path.GetFileNameWithoutExtension(fileName),
                        file,
                        text,
                        null,
                        [new ChainError(file, new SourceLocation(1, 1), $"cannot read the chain: {e.Message}")]
                    )
                );
            }
        }
        return entries;
    }
}
