using Baton.Agents;
using Baton.Runs;

namespace Baton.Isolation;

/// <summary>
/// What an agent running as its workspace's user may touch (SPEC §6: it sees its own run folder,
/// its workspace and the secrets it declared — and writes only where it must):
///
///   workspaces/&lt;ws&gt;/                 root:baton-&lt;ws&gt; 0750  other tenants cannot even traverse it; this
///                                     tenant's agents may read it but not rewrite baton.yaml or chains
///   &lt;ws&gt;/home/                       baton-&lt;ws&gt; 0700        the agents' HOME (tool caches, dotfiles)
///   &lt;ws&gt;/tmp/                        baton-&lt;ws&gt; 0700        the agents' /tmp, /var/tmp and /dev/shm (host's are shared)
///   runs/&lt;id&gt;/events/, lock          root 0700 / 0600      the engine's record: an agent could forge a
///                                     decision or hold the lock
///   runs/&lt;id&gt;/work/, inbox/&lt;agent&gt;/   baton-&lt;ws&gt;            where it works and emits events (inbox: while it runs)
///   work/&lt;name&gt;/                     baton-&lt;ws&gt;            a chain's `workdir:`, only when the engine made it
///   runs/&lt;id&gt;/agents/&lt;agent&gt;/        root 0755, only `output` owned by the agent: the engine writes logs,
///                                     process.json and run.sh there as root, so the agent must not be
///                                     able to swap any of them for a symlink
///
/// The data root's server/ folder (tokens, master key) is root 0700. A different uid also keeps
/// /proc/PID/environ of another tenant's agents unreadable, without hidepid.
/// </summary>
public static class WorkspaceFolders
{
    private const UnixFileMode Rwx = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode GroupRx = UnixFileMode.GroupRead | UnixFileMode.GroupExecute;

    /// <summary>Workspace folder root-owned, group the workspace's user, 0750. Idempotent: the server calls it at creation and on start.</summary>
    public static void Secure(string workspaceRoot, WorkspaceUser user)
    {
        WorkspaceUser.Chown(workspaceRoot, 0, user.Gid);
        Chmod(workspaceRoot, Rwx | GroupRx);
    }

    /// <summary>The workspace's own entries, which no agent may own (WorkdirPath refuses them as a workdir).</summary>
    private static readonly string[] RootsOwn =
    [
        ".baton",
        "chains",
        "runs",
        "prompts",
        "work",
        "baton.yaml",
        "audit.jsonl",
    ];

    /// <summary>
    /// Gives back to root any of the workspace's own folders and files that an agent user owns — what a
    /// `workdir:` naming them handed over before workdir was confined to work/. A link in one of
    /// those places is left for a person to look at (every file operation refuses to follow it).
    /// The server calls it when it first confines a workspace's agents after a start.
    /// </summary>
    public static void Reclaim(string workspaceRoot)
    {
        foreach (var name in RootsOwn)
        {
            var path = Path.Combine(workspaceRoot, name);
            if (Libc.KindOf(path) is Libc.EntryKind.Directory or Libc.EntryKind.Other && Libc.OwnerOf(path) > 0)
                WorkspaceUser.Chown(path, 0, 0);
        }
    }

    /// <summary>Hands the attempt's folders to the user before it starts; returns its HOME.</summary>
    public static string PrepareAgent(AgentContext context, WorkspaceUser user)
    {
        Secure(context.Workspace.Root, user);
        var run = context.Run;
        if (Directory.Exists(run.Events))
            Chmod(run.Events, Rwx);
        if (File.Exists(run.LockFile))
            Chmod(run.LockFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        // The run's own work/ is made by the engine for its agents; a chain's workdir (under the
        // workspace's work/) was handed over by the engine when it made it (RunLoop.WorkDir) — never here.
        if (context.WorkDir == run.Work)
            user.Own(run.Work);
        user.Own(SafePaths.EnsureDirectory(run.Path, Path.Combine("inbox", context.Agent.Name)));

        // The agent folder was just made fresh for this attempt by the engine (RunLoop.PrepareAgentDir).
        if (SafePaths.IsSymlink(context.OutputFile))
            throw new UnsafePathException($"'{context.OutputFile}' is a symbolic link");
        using (File.Open(context.OutputFile, FileMode.OpenOrCreate, FileAccess.Write)) { }
        user.Own(context.OutputFile);

        return HandOver(context.Workspace.Root, "home", user);
    }

    /// <summary>
    /// The workspace's tmp/ (made by root under the root-owned workspace folder, so an agent cannot swap
    /// it for a link), handed to its user 0700: its agents see it as /tmp, /var/tmp and /dev/shm instead of
    /// the host's, which every other workspace's agents share.
    /// </summary>
    public static string PrepareTmp(string workspaceRoot, WorkspaceUser user) => HandOver(workspaceRoot, "tmp", user);

    /// <summary>A top-level folder of the workspace (made by root if missing, never through a link) given to its user, 0700.</summary>
    private static string HandOver(string workspaceRoot, string name, WorkspaceUser user)
    {
        var folder = SafePaths.EnsureDirectory(workspaceRoot, name);
        user.Own(folder);
        Chmod(folder, Rwx);
        return folder;
    }

    private static void Chmod(string path, UnixFileMode mode)
    {
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, mode);
    }
}
