namespace Baton.Workspaces;

/// <summary>
/// A folder with an optional baton.yaml (SPEC §1). Without one, the folder is a workspace with defaults.
/// </summary>
public sealed class Workspace
{
    public const string ConfigFileName = "baton.yaml";

    public Workspace(string root, WorkspaceConfig config)
    {
        Root = Path.GetFullPath(root);
        Config = config;
    }

    public string Root { get; }
    public WorkspaceConfig Config { get; }
    public string RunsRoot => Path.Combine(Root, "runs");
    public string ConfigFile => Path.Combine(Root, ConfigFileName);

    /// <summary>Where the master key of this workspace's secrets is; null = the user's default (~/.config/baton/master.key). The server keeps its own.</summary>
    public string? MasterKeyPath { get; init; }

    public Secrets.SecretStore Secrets() => new(Root, MasterKeyPath);

    /// <summary>The same workspace with other settings (the server's operator ceilings applied).</summary>
    public Workspace WithConfig(WorkspaceConfig config) => new(Root, config) { MasterKeyPath = MasterKeyPath };

    /// <summary>The nearest folder at or above <paramref name="start"/> with a baton.yaml, else <paramref name="fallback"/>.</summary>
    public static string Locate(string start, string fallback)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(start)); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, ConfigFileName)))
                return dir.FullName;
        }
        return Path.GetFullPath(fallback);
    }

    /// <exception cref="Chains.ChainValidationException">baton.yaml has errors.</exception>
    public static Workspace Open(string root, string? masterKeyPath = null)
    {
        // Below the folder, never through a link: in a served workspace, root reads it.
        var text = Directory.Exists(root) ? WorkspaceDirectory.ReadText(root, ConfigFileName, 1 << 20) : null;
        var config = text is null
            ? WorkspaceConfig.Default
            : WorkspaceConfig.Parse(Path.Combine(Path.GetFullPath(root), ConfigFileName), text);
        return new Workspace(root, config) { MasterKeyPath = masterKeyPath };
    }
}
