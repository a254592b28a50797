using LibGit2Sharp;

namespace Baton.Prompts;

/// <summary>
/// The workspace repository's HEAD and whether files differ from it, read with libgit2: no `git`
/// process, so nothing of the repository's config (fsmonitor, filter drivers) runs — the server
/// records versions as root in a workspace its tenant controls.
/// </summary>
internal static class GitSource
{
    /// <summary>Null when the workspace root is not the top of a git repository (a real .git folder, not a link) or it cannot be read.</summary>
    public static Dictionary<string, GitState>? States(string root, IEnumerable<string> relativePaths)
    {
        var dotGit = new DirectoryInfo(Path.Combine(root, ".git"));
        // Checked before anything of libgit2 is touched: loading LibGit2Sharp and its native library costs every
        // run's start a few ms, and a workspace that is no repository needs none of it (docs/performance.md).
        return dotGit.Exists && dotGit.LinkTarget is null ? Repository.States(root, relativePaths) : null;
    }

    /// <summary>Everything that touches LibGit2Sharp, in a class of its own so its static setup runs only when a repository is read.</summary>
    private static class Repository
    {
        static Repository()
        {
            // The workspace belongs to its Unix user and the server reads it as root; the ownership
            // check (safe.directory) would refuse every workspace. Reading HEAD and a status runs no code of the repository.
            GlobalSettings.SetOwnerValidation(false);
        }

        public static Dictionary<string, GitState>? States(string root, IEnumerable<string> relativePaths)
        {
            try
            {
                using var repo = new LibGit2Sharp.Repository(root);
                if (repo.Head.Tip is not { } tip)
                    return null;
                var states = new Dictionary<string, GitState>(StringComparer.Ordinal);
                foreach (var path in relativePaths.Distinct(StringComparer.Ordinal))
                {
                    var status = repo.RetrieveStatus(path);
                    var unchanged = status is FileStatus.Unaltered && tip[path] is not null;
                    states[path] = new GitState(tip.Sha, !unchanged);
                }
                return states;
            }
            catch (LibGit2SharpException)
            {
                return null; // a broken repository costs the run its git fields, never the run
            }
        }
    }
}
