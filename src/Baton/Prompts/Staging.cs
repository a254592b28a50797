using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Baton.Chains;
using Baton.Workspaces;

namespace Baton.Prompts;

/// <summary>
/// A workspace's staged files when it requires review: a chain, prompt or case file written while
/// `review: required` lands at <c>.baton/staging/&lt;its path&gt;</c> (chains/x.yaml, prompts/a.md,
/// tests/x.yaml) instead of replacing production, and <c>.baton/staging.json</c> says who staged each.
/// The staged tree mirrors the workspace, so a staged chain's `../prompts/a.md` finds the staged prompt
/// first and production's when none is staged. Everything goes through WorkspaceDirectory (root reads
/// and writes here; agents cannot write .baton/).
/// </summary>
public sealed class Staging(string root)
{
    public const string Folder = ".baton/staging";
    private const string Ledger = ".baton/staging.json";
    public const int MaxBytes = 1 << 20;

    /// <summary>Who staged a file, when, and its SHA-256 then.</summary>
    public sealed record StagedFile(string Path, string Sha256, string Who, string Token, DateTimeOffset Time);

    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Gates = new(StringComparer.Ordinal);

    /// <summary>
    /// One gate per workspace for staging, promoting, rolling back and loading a chain to start a run:
    /// a run started through the API sees a promotion's files all old or all new, never half of each.
    /// </summary>
    public SemaphoreSlim Gate => Gates.GetOrAdd(Path.GetFullPath(root), _ => new SemaphoreSlim(1, 1));

    public static string ChainPath(string chain) => $"chains/{chain}.yaml";

    public static string CasesPath(string chain) => $"tests/{chain}.yaml";

    public static string StagedPath(string relative) => $"{Folder}/{relative}";

    public string? ReadStaged(string relative) => WorkspaceDirectory.ReadText(root, StagedPath(relative), MaxBytes);

    public string? ReadProduction(string relative) => WorkspaceDirectory.ReadText(root, relative, MaxBytes);

    /// <summary>The staged text when there is one, else production's.</summary>
    public string? ReadStagedOrProduction(string relative) => ReadStaged(relative) ?? ReadProduction(relative);

    /// <summary>Files staged now, by path (an entry whose staged file is gone is left out).</summary>
    public IReadOnlyDictionary<string, StagedFile> Files()
    {
        var files = new SortedDictionary<string, StagedFile>(StringComparer.Ordinal);
        if (WorkspaceDirectory.ReadText(root, Ledger, MaxBytes) is not { } text)
            return files;
        foreach (var (path, node) in JsonNode.Parse(text)!.AsObject())
        {
            if (node is null || !WorkspaceDirectory.IsFile(root, StagedPath(path)))
                continue;
            files[path] = new StagedFile(
                path,
                (string)node["sha256"]!,
                (string)node["who"]!,
                (string)node["token"]!,
                DateTimeOffset.Parse((string)node["time"]!, System.Globalization.CultureInfo.InvariantCulture)
            );
        }
        return files;
    }

    /// <summary>Writes the staged copy (atomically) and records who staged it. Call under <see cref="Gate"/>.</summary>
    public void Stage(string relative, ReadOnlySpan<byte> bytes, string who, string token, DateTimeOffset time)
    {
        WorkspaceDirectory.WriteFile(root, StagedPath(relative), bytes, createParent: true);
        var files = new Dictionary<string, StagedFile>(Files(), StringComparer.Ordinal)
        {
            [relative] = new(relative, Sha256(bytes), who, token, time),
        };
        Save(files.Values);
    }

    /// <summary>Forgets files that are no longer staged (promoted: renamed into production). Call under <see cref="Gate"/>.</summary>
    public void Forget(IEnumerable<string> relatives)
    {
        var gone = relatives.ToHashSet(StringComparer.Ordinal);
        Save(Files().Values.Where(f => !gone.Contains(f.Path)));
    }

    private void Save(IEnumerable<StagedFile> files)
    {
        var json = new JsonObject();
        foreach (var f in files)
            json[f.Path] = new JsonObject
            {
                ["sha256"] = f.Sha256,
                ["who"] = f.Who,
                ["token"] = f.Token,
                ["time"] = f.Time.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            };
        WorkspaceDirectory.WriteFile(root, Ledger, Encoding.UTF8.GetBytes(json.ToJsonString()), createParent: true);
    }

    /// <summary>
    /// Reads a chain's referenced files as the staged chain sees them: the staged copy when there is one,
    /// else production's. Same confinement as ChainFiles.Reader for both (below the folder, no link out).
    /// </summary>
    public Func<string, string?> Reader(string chainRelative)
    {
        var production = ChainFiles.Reader(System.IO.Path.Combine(root, chainRelative), root);
        var stagingRoot = System.IO.Path.Combine(root, Folder);
        if (!WorkspaceDirectory.IsFolder(root, Folder))
            return production;
        var staged = ChainFiles.Reader(System.IO.Path.Combine(stagingRoot, chainRelative), stagingRoot);
        return relative => staged(relative) ?? production(relative);
    }

    /// <summary>A chain's referenced file (as written in the chain) as a workspace-relative path, e.g. prompts/a.md.</summary>
    public string WorkspaceRelative(string chainRelative, string referenced) =>
        System
            .IO.Path.GetRelativePath(
                root,
                System.IO.Path.GetFullPath(
                    System.IO.Path.Combine(root, System.IO.Path.GetDirectoryName(chainRelative)!, referenced)
                )
            )
            .Replace('\\', '/');

    public static string Sha256(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static string Sha256(string text) => Sha256(Encoding.UTF8.GetBytes(text));
}
