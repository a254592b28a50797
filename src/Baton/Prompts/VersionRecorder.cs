using Baton.Chains;

namespace Baton.Prompts;

/// <summary>Computes a new run's <see cref="RunVersions"/> from the chain as loaded (the texts that go into the snapshot).</summary>
public static class VersionRecorder
{
    public static RunVersions For(Chain chain, string chainYaml, string workspaceRoot)
    {
        var root = Path.GetFullPath(workspaceRoot);
        var chainFolder = Path.GetDirectoryName(Path.GetFullPath(chain.SourcePath))!;
        var chainSource = Relative(root, chain.SourcePath);
        var prompts = chain.Agents.Where(a => a.Prompt is not null).ToList();
        var paths = new List<string> { chainSource };
        paths.AddRange(
            prompts
                .Where(a => a.Prompt!.File is not null)
                .Select(a => Relative(root, Path.Combine(chainFolder, a.Prompt!.File!)))
        );
        var git = GitSource.States(root, paths);
        var versions = new Dictionary<string, PromptVersion>(StringComparer.Ordinal);
        foreach (var agent in prompts)
        {
            var spec = agent.Prompt!;
            var source = spec.File is { } file ? Relative(root, Path.Combine(chainFolder, file)) : chainSource;
            var promptHash = RunVersions.Sha256(spec.Text);
            var systemHash = spec.System is { } system ? RunVersions.Sha256(system) : null;
            versions[agent.Name] = new PromptVersion(
                PromptVersion.VersionOf(promptHash, systemHash),
                promptHash,
                systemHash,
                source,
                spec.File is null,
                git?.GetValueOrDefault(source)
            );
        }
        return new RunVersions(
            new SourceVersion(RunVersions.Sha256(chainYaml), chainSource, git?.GetValueOrDefault(chainSource)),
            versions
        );
    }

    private static string Relative(string root, string path) =>
        Path.GetRelativePath(root, Path.GetFullPath(path)).Replace('\\', '/');
}
