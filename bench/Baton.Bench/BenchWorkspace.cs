using Baton.Chains;
using Baton.Events;
using Baton.Runs;
using Baton.Workspaces;

namespace Baton.Bench;

/// <summary>
/// A throwaway workspace on the real disk, deleted afterwards. It lives under BATON_BENCH_DIR, by
/// default .baton/bench/ in the checkout rather than /tmp: on this machine /tmp's ext4 block group is
/// churned by every test run (files created and deleted by the thousand), and creating a file there
/// cost ~0.7 ms instead of ~40 µs (the kernel's inode allocator skips recently deleted inodes) —
/// that measured the neighbours, not Baton (docs/performance.md). For the same reason a child never
/// deletes its workspace: the disk has no journal, so for 1–5 minutes after a delete the inode
/// allocator reads each freed inode before skipping it, and the next workload would pay for this
/// one's clean-up. The harness deletes its whole scratch folder once, at the end.
/// </summary>
public sealed class BenchWorkspace : IDisposable
{
    public BenchWorkspace(string? root = null)
    {
        Root = root ?? Path.Combine(ScratchRoot, $"{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}");
        Directory.CreateDirectory(Root);
        Workspace = Workspace.Open(Root);
    }

    public static string ScratchRoot =>
        Environment.GetEnvironmentVariable("BATON_BENCH_DIR") is { Length: > 0 } dir
            ? dir
            : Path.Combine(HarnessOptions.FindRepoRoot(), ".baton", "bench");

    public string Root { get; }
    public Workspace Workspace { get; }

    /// <summary>Creates a run of the chain, writing the chain file first if it isn't there (only once: runs may be created concurrently).</summary>
    public async Task<RunFolder> CreateRunAsync(string chainYaml, string fileName = "bench.yaml")
    {
        var chain = await _chains
            .GetOrAdd(fileName, _ => new Lazy<Task<Chain>>(() => LoadAsync(chainYaml, fileName)))
            .Value;
        return await RunCreator.CreateAsync(
            Workspace,
            chain,
            chainYaml,
            new Dictionary<string, string>(),
            GroupCommitter.Shared
        );
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<Task<Chain>>> _chains = new(
        StringComparer.Ordinal
    );

    private async Task<Chain> LoadAsync(string chainYaml, string fileName)
    {
        var path = Path.Combine(Root, "chains", fileName);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, chainYaml);
        return ChainLoader.LoadFile(path, Root);
    }

    public static IReadOnlyList<RunEvent> Events(RunFolder run) => EventReader.ReadAll(run.Events);

    /// <summary>Deliberately keeps the files (see above); the harness removes the scratch folder at the end.</summary>
    public void Dispose() { }

    public static void DeleteScratch(string root)
    {
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
