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
