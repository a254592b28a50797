using System.Collections.Concurrent;
using Baton.Chains;

namespace Baton.Runs;

/// <summary>
/// Parsed chains by their exact YAML text. A server starts the same chain over and over (POST /runs
/// parses the workspace's file, the engine the run's snapshot), and parsing and validating it again
/// for every run was a tenth of the CPU of starting one
/// (docs/performance.md). A hit must also see the same referenced files (prompt: x.md, run: x.sh),
/// so a run whose snapshot differs is parsed afresh. Chains are immutable, so runs share them.
/// </summary>
public static class ChainCache
{
    private const int Capacity = 128;

    private sealed record Entry(Chain Chain, IReadOnlyList<(string Relative, string Text)> Files);

    private static readonly ConcurrentDictionary<string, Entry> Entries = new(StringComparer.Ordinal);

    public static Chain Load(string chainPath, string yamlText, Func<string, string?> readReferencedFile)
    {
        if (Entries.TryGetValue(yamlText, out var hit) && SameFiles(hit, readReferencedFile))
            return hit.Chain with { SourcePath = chainPath };
        var chain = ChainLoader.Load(chainPath, yamlText, readReferencedFile);
        if (Entries.Count >= Capacity)
            Entries.Clear(); // many distinct chains: start over rather than track recency
        Entries[yamlText] = new Entry(chain, [.. RunCreator.ReferencedFiles(chain)]);
        return chain;
    }

    /// <summary>A file that can't be read now (gone, or a link out of the workspace) is a miss: the full load says why.</summary>
    private static bool SameFiles(Entry hit, Func<string, string?> readReferencedFile)
    {
        try
        {
            return hit.Files.All(f => readReferencedFile(f.Relative) == f.Text);
        }
        catch (ChainReferenceException)
        {
            return false;
        }
    }
}
