using Baton.Runs;
using Baton.Workspaces;

namespace Baton.Server;

/// <summary>
/// The server's data folder (SPEC §5): every workspace under workspaces/&lt;name&gt;/, and the server's own
/// files (token store) under server/, readable by root only.
/// </summary>
public sealed class DataRoot
{
    public DataRoot(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(WorkspacesPath);
        Directory.CreateDirectory(ServerPath);
        if (OperatingSystem.IsLinux())
        {
            // At least --x for group and others: workspace users pass through to their own folder
            // (a `mktemp -d` data folder is 0700; DataFolderReach checks the folders above).
            File.SetUnixFileMode(
                Path,
                File.GetUnixFileMode(Path) | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute
            );
            File.SetUnixFileMode(ServerPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            // 0711: every workspace's agents pass through to their own folder, and none can list the others' names.
            File.SetUnixFileMode(
                WorkspacesPath,
                UnixFileMode.UserRead
                    | UnixFileMode.UserWrite
                    | UnixFileMode.UserExecute
                    | UnixFileMode.GroupExecute
                    | UnixFileMode.OtherExecute
            );
        }
    }

    public string Path { get; }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _reclaimed = new(
        StringComparer.Ordinal
    );
    public string WorkspacesPath => System.IO.Path.Combine(Path, "workspaces");
    public string ServerPath => System.IO.Path.Combine(Path, "server");
    public string TokensFile => System.IO.Path.Combine(ServerPath, "tokens.json");

    /// <summary>The key every workspace's secrets are encrypted with: outside every workspace, root-only.</summary>
    public string MasterKeyPath => System.IO.Path.Combine(ServerPath, "master.key");

    public IEnumerable<string> WorkspaceNames() =>
        Directory
            .EnumerateDirectories(WorkspacesPath)
            .Select(System.IO.Path.GetFileName)
            .Where(n => n is not null && WorkspaceNames_IsValid(n))
            .Order(StringComparer.Ordinal)!;

    public bool WorkspaceExists(string name) =>
        WorkspaceNames_IsValid(name)
        && Directory.Exists(WorkspacePath(name))
        && !SafePaths.IsSymlink(WorkspacePath(name));

    public string WorkspacePath(string name) =>
        WorkspaceNames_IsValid(name)
            ? System.IO.Path.Combine(WorkspacesPath, name)
            : throw new ArgumentException($"'{name}' is not a workspace name");

    public Workspace OpenWorkspace(string name) => Workspace.Open(WorkspacePath(name), MasterKeyPath);

    /// <summary>
    /// The workspace's own system user; the workspace folder becomes root:&lt;its group&gt; 0750, so its
    /// agents can reach their run folders and no other workspace's agent can look inside
    /// (Isolation.WorkspaceFolders has the whole layout).
    /// </summary>
    public Isolation.WorkspaceUser EnsureWorkspaceUser(string name)
    {
        var user = Isolation.WorkspaceUser.Ensure(name);
        Isolation.WorkspaceFolders.Secure(WorkspacePath(name), user);
        if (_reclaimed.TryAdd(name, true))
            Isolation.WorkspaceFolders.Reclaim(WorkspacePath(name)); // once per start: this is on every agent's start
        return user;
    }

    /// <summary>Creates a workspace folder (0700) with an empty baton.yaml and chains/.</summary>
    public Workspace CreateWorkspace(string name)
    {
        if (!WorkspaceNames_IsValid(name))
            throw new ArgumentException($"'{name}' is not a valid workspace name: use [a-z][a-z0-9-]{{0,30}}");
        var path = WorkspacePath(name);
        if (Directory.Exists(path))
            throw new InvalidOperationException($"workspace '{name}' already exists");
        Directory.CreateDirectory(path);
        if (OperatingSystem.IsLinux())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Directory.CreateDirectory(System.IO.Path.Combine(path, "chains"));
        File.WriteAllText(
            System.IO.Path.Combine(path, Workspace.ConfigFileName),
            "# Workspace settings (see SPEC §1).\n"
        );
        return OpenWorkspace(name);
    }

    public static bool WorkspaceNames_IsValid(string name) =>
        name.Length is > 0 and <= 31
        && name[0] is >= 'a' and <= 'z'
        && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-');
}
