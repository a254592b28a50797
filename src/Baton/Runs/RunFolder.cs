using System.IO.Enumeration;

namespace Baton.Runs;

/// <summary>The layout of one run's folder (SPEC §3). Pure paths; creating it is RunCreator's job.</summary>
public sealed class RunFolder
{
    public RunFolder(string runsRoot, string id)
    {
        if (!RunIds.IsValid(id))
            throw new ArgumentException($"'{id}' is not a run id (like 20261124-063012-my-chain-7f3a)", nameof(id));
        Id = id;
        RunsRoot = System.IO.Path.GetFullPath(runsRoot);
        Path = System.IO.Path.Combine(RunsRoot, id);
    }

    public string Id { get; }
    public string RunsRoot { get; }
    public string Path { get; }
    public string ChainFile => System.IO.Path.Combine(Path, "chain.yaml");
    public string InputsFile => System.IO.Path.Combine(Path, "inputs.json");

    /// <summary>What started the run when no person did (a trigger, docs/chains.md): one line, copied into run.started.</summary>
    public string TriggerFile => System.IO.Path.Combine(Path, "trigger.txt");

    /// <summary>A child run's parent (run, `chain:` agent, depth), written before the run folder appears.</summary>
    public const string ParentFileName = "parent.json";

    public string ParentFile => System.IO.Path.Combine(Path, ParentFileName);
    public string SnapshotRoot => Path;
    public string Events => System.IO.Path.Combine(Path, "events");
    public string Inbox => System.IO.Path.Combine(Path, "inbox");
    public string Work => System.IO.Path.Combine(Path, "work");
    public string Agents => System.IO.Path.Combine(Path, "agents");
    public string LockFile => System.IO.Path.Combine(Path, "lock");

    public string AgentDir(string agent) => System.IO.Path.Combine(Agents, agent);

    public string AgentOutput(string agent) => System.IO.Path.Combine(Agents, agent, "output");

    public string AgentInbox(string agent) => System.IO.Path.Combine(Inbox, agent);

    /// <summary>
    /// The run's folder is there, and neither it, runs/, nor the engine's folders in it (events/, inbox/,
    /// agents/) is a symlink: a link planted in one of their places (by an agent that was once handed
    /// the folder, before workdir: was confined to work/) would lead the engine and the API into
    /// another workspace's run. All of them, and the folders above runs/, are root's own
    /// (WorkspaceFolders): no agent can swap one after this check, so lstat calls settle it.
    /// </summary>
    public bool Exists => IsRunsFolder(RunsRoot) && IsInPlace;

    /// <summary>Exists, with runs/ already checked (a listing of it checks it once for all its runs).</summary>
    internal bool IsInPlace =>
        IsFolder(Path)
        && Libc.KindOf(Events) != Libc.EntryKind.Symlink
        && Libc.KindOf(Inbox) != Libc.EntryKind.Symlink
        && Libc.KindOf(Agents) != Libc.EntryKind.Symlink;

    private static bool IsFolder(string path) => Libc.KindOf(path) == Libc.EntryKind.Directory;

    /// <summary>runs/ itself is a real folder (not a symlink).</summary>
    private static bool IsRunsFolder(string runsRoot) => Libc.KindOf(runsRoot) == Libc.EntryKind.Directory;

    /// <summary>Where a file the chain referenced (prompt, script) is kept: under prompts/, with ".." segments dropped.</summary>
    public static string SnapshotRelativePath(string chainRelative) =>
        System.IO.Path.Combine(
            "prompts",
            string.Join('/', chainRelative.Split('/').Where(p => p is not ("" or "." or "..")))
        );

    /// <summary>Finds a run by id, or the newest run when id is "last".</summary>
    /// <exception cref="RunNotFoundException">No such run.</exception>
    public static RunFolder Find(string runsRoot, string id)
    {
        if (id == "last")
        {
            var newest = IsRunsFolder(runsRoot)
                ? Directory
                    .EnumerateDirectories(runsRoot)
                    .Select(System.IO.Path.GetFileName)
                    .Where(n => n is not null && RunIds.IsValid(n))
                    .Max(StringComparer.Ordinal)
                : null;
            return newest is null
                ? throw new RunNotFoundException($"there are no runs in '{runsRoot}' yet")
                : new RunFolder(runsRoot, newest);
        }
        if (!RunIds.IsValid(id))
            throw new RunNotFoundException($"'{id}' is not a run id (like 20261124-063012-my-chain-7f3a, or 'last')");
        var run = new RunFolder(runsRoot, id);
        return run.Exists ? run : throw new RunNotFoundException($"no run '{id}' in '{runsRoot}'");
    }

    /// <summary>Every run that Exists, oldest first (a symlink in runs/, or runs/ itself a symlink, lists nothing).</summary>
    public static IEnumerable<RunFolder> All(string runsRoot) => Named(runsRoot).Where(r => r.IsInPlace);

    /// <summary>
    /// As All, newest first, each run checked only when it is reached: a page of the runs list looks at the runs it
    /// shows, not at every run of the workspace's history (four lstat calls each).
    /// </summary>
    public static IEnumerable<RunFolder> AllNewestFirst(string runsRoot)
    {
        var named = Named(runsRoot);
        named.Reverse();
        return named.Where(r => r.IsInPlace);
    }

    /// <summary>
    /// The runs named in runs/, oldest first, from its listing alone: nothing of a run is looked at, so IsInPlace must
    /// be checked before any of its files is read. Nothing when runs/ is not a real folder.
    /// </summary>
    internal static List<RunFolder> Named(string runsRoot)
    {
        if (!IsRunsFolder(runsRoot))
            return [];
        // Names where the listing has them: a FileInfo per entry would cost an lstat and a geteuid each.
        var names = new List<string>(
            new FileSystemEnumerable<string>(runsRoot, (ref entry) => entry.FileName.ToString(), FolderListing.Options)
            {
                ShouldIncludePredicate = (ref entry) => RunIds.IsValid(entry.FileName),
            }
        );
        names.Sort(StringComparer.Ordinal);
        var root = System.IO.Path.GetFullPath(runsRoot);
        return names.ConvertAll(name => new RunFolder(root, name));
    }
}

public sealed class RunNotFoundException(string message) : Exception(message);
